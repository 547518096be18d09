using System.Net.Http.Json;
using System.Text.Json;

namespace Streams.Host.Cli;

/// <summary>A running node's <c>/api/status</c>, as the replay uses it: its Kafka, and whether it has caught up.</summary>
internal static class ReplayNodeStatus
{
    /// <summary>The status document, or null when no node answers at <paramref name="url"/>.</summary>
    public static async Task<JsonElement?> GetAsync(string url, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return await http.GetFromJsonAsync<JsonElement>("/api/status", cancel);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException or UriFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the node reports a consumer lag of 0 twice, a second apart (it has read what the replay wrote);
    /// false when no node answers or it does not catch up within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> WaitForCatchUpAsync(string url, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        var zeros = 0;
        while (DateTime.UtcNow < deadline && !cancel.IsCancellationRequested)
        {
            if (await GetAsync(url, cancel) is not { } status) return false;
            zeros = status.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number && lag.GetInt64() == 0 ? zeros + 1 : 0;
            if (zeros >= 2) return true;
            await Task.Delay(1000, cancel);
        }
        return false;
    }

    /// <summary>
    /// Waits until the node's <c>/api/registry</c> holds every one of <paramref name="subjects"/> (<c>kind/id</c>);
    /// false at once when no node answers, or when it does not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> WaitForRegistryAsync(string url, IReadOnlyCollection<string> subjects, TimeSpan timeout, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !cancel.IsCancellationRequested)
        {
            try
            {
                var registry = await http.GetFromJsonAsync<JsonElement>("/api/registry", cancel);
                var known = registry.EnumerateArray()
                    .Select(e => $"{e.GetProperty("kind").GetString()}/{e.GetProperty("id").GetString()}")
                    .ToHashSet(StringComparer.Ordinal);
                if (subjects.All(known.Contains)) return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException
                                           or UriFormatException or InvalidOperationException or KeyNotFoundException)
            {
                return false;
            }
            await Task.Delay(200, cancel);
        }
        return false;
    }

}
