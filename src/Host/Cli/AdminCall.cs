using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Streams.Host.Cli;

/// <summary>One request to a node's admin endpoint, with the outcome mapped to an exit code and a message for people.</summary>
public sealed class AdminCall(Uri node, string? token, TimeSpan timeout)
{
    public static readonly JsonSerializerOptions Json = new(Admin.AdminJson.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed record Outcome(int ExitCode, JsonElement Body, string? Error);

    public async Task<Outcome> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = timeout };
        using var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(OpsExitCodes.Unreachable, default, $"{node} unreachable: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(OpsExitCodes.Unreachable, default, $"{node} did not answer within {timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = TryParse(text);
            if (response.IsSuccessStatusCode) return new Outcome(OpsExitCodes.Ok, json ?? default, null);
            var detail = json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("error", out var e) ? e.ToString() : null;
            if (json is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("reason", out var reason)) detail = $"{detail}: {reason}";
            var message = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $"refused by {node}: {detail ?? "unauthorized"} (pass --token or set STREAMS_ADMIN_TOKEN)",
                HttpStatusCode.NotFound when detail is null => $"{node} has no admin endpoint at {path} (is Streams:Admin:Token set on the node?)",
                _ => $"{node} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail ?? text}",
            };
            return new Outcome(OpsExitCodes.Failed, json ?? default, message);
        }
    }

    private static JsonElement? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { return null; }
    }
}
