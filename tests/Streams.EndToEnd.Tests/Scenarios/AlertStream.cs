using System.Text.Json;

namespace Streams.EndToEnd.Tests.Scenarios;

/// <summary>One alert as read back from <c>streams.alerts</c>.</summary>
public sealed record Alert(string Key, string Id, string Subject, string Rule, string State, double Value, double Threshold,
    DateTimeOffset Time, DateTimeOffset EpisodeStartedAt, string Raw)
{
    public static Alert Parse(string key, string json)
    {
        var e = JsonDocument.Parse(json).RootElement;
        var d = e.GetProperty("data");
        return new Alert(key, e.GetProperty("id").GetString()!, e.GetProperty("subject").GetString()!,
            d.GetProperty("rule").GetString()!, d.GetProperty("state").GetString()!,
            d.GetProperty("value").GetDouble(), d.GetProperty("threshold").GetDouble(),
            e.GetProperty("time").GetDateTimeOffset(), d.GetProperty("episodeStartedAt").GetDateTimeOffset(), json);
    }

    /// <summary>(rule, state, value, threshold, time): what the scenarios state by hand.</summary>
    public (string, string, double, double, DateTimeOffset) Shape => (Rule, State, Value, Threshold, Time);
}

public static class AlertStream
{
    public static IReadOnlyList<Alert> Read(string bootstrap) =>
        Kcat.ConsumeAll(bootstrap, "streams.alerts").Select(r => Alert.Parse(r.Key, r.Value)).ToList();

    /// <summary>At-least-once delivery: the first occurrence of each id, in topic order per subject.</summary>
    public static IReadOnlyList<Alert> Deduplicated(IEnumerable<Alert> alerts)
    {
        var seen = new HashSet<string>();
        return alerts.Where(a => seen.Add(a.Id)).ToList();
    }

    public static IReadOnlyList<Alert> Of(this IEnumerable<Alert> alerts, string subject) => alerts.Where(a => a.Subject == subject).ToList();
}
