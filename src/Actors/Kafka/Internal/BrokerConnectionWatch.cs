using System.Text.Json;

namespace Streams.Actors.Kafka.Internal;

/// <summary>What one statistics report says about the consumer's broker connections.</summary>
internal enum BrokerVerdict
{
    /// <summary>The report has no broker list (or could not be read): nothing changes.</summary>
    Unknown,
    /// <summary>At least one broker connection is up.</summary>
    Up,
    /// <summary>None is up, but not for long enough to call it a problem yet.</summary>
    DownBriefly,
    /// <summary>None has been up for the watch's limit: <see cref="BrokerConnectionWatch.Problem"/> says why.</summary>
    Down,
}

/// <summary>
/// Decides from librdkafka's statistics (every statistics.interval.ms) whether a consumer has lost its brokers. Only
/// real broker connections count (not librdkafka's internal or logical ones). The consumer itself keeps retrying:
/// a broker outage is waited out and reported, never a reason to fail the stream.
/// </summary>
internal sealed class BrokerConnectionWatch(TimeSpan downAfter)
{
    private TimeSpan _lastUp;
    private string? _lastError;

    /// <summary>The last verdict's description when it was <see cref="BrokerVerdict.Down"/>, otherwise null.</summary>
    public string? Problem { get; private set; }

    /// <summary>A transient error librdkafka reported; the next problem's description ends with the latest.</summary>
    public void ErrorSeen(string reason) => _lastError = reason;

    /// <param name="statisticsJson">librdkafka's statistics report.</param>
    /// <param name="now">Time since the watch's start (the first report is measured from zero).</param>
    public BrokerVerdict Observe(string statisticsJson, TimeSpan now)
    {
        if (!TryReadStates(statisticsJson, out var up, out var states)) return BrokerVerdict.Unknown;
        if (up)
        {
            _lastUp = now;
            _lastError = null;
            Problem = null;
            return BrokerVerdict.Up;
        }
        var down = now - _lastUp;
        if (down < downAfter) return BrokerVerdict.DownBriefly;
        Problem = $"no Kafka broker connection for {down.TotalSeconds:0} s ({string.Join(", ", states)})"
                  + (_lastError is null ? "" : $": {_lastError}");
        return BrokerVerdict.Down;
    }

    private static bool TryReadStates(string json, out bool up, out List<string> states)
    {
        up = false;
        states = [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("brokers", out var brokers) || brokers.ValueKind != JsonValueKind.Object) return false;
            foreach (var b in brokers.EnumerateObject())
            {
                var source = b.Value.TryGetProperty("source", out var src) ? src.GetString() : null;
                if (source is "internal" or "logical") continue;
                var state = b.Value.TryGetProperty("state", out var st) ? st.GetString() : null;
                if (state == "UP") up = true;
                states.Add($"{b.Name}: {state}");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
        return true;
    }
}
