using System.Text.Json.Serialization;

namespace Streams.Contracts.Outputs;

/// <summary>An alert transition as a CloudEvents 1.0 structured-mode event (<c>streams.alerts</c>).</summary>
public sealed record AlertEvent(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("datacontenttype")] string DataContentType,
    [property: JsonPropertyName("data")] AlertData Data)
{
    public const string ContentType = "application/cloudevents+json";
    public const string RaisedType = "streams.alert.raised";
    public const string ClearedType = "streams.alert.cleared";
}

public sealed record AlertData(
    string Rule,
    string State,
    string Severity,
    string Municipality,
    string Kind,
    string SensorId,
    double Value,
    double Threshold,
    DateTimeOffset EpisodeStartedAt,
    string Message)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TrendCmPerHour { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Stage { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PreviousStage { get; init; }
}

public static class AlertStates
{
    public const string Raised = "raised";
    public const string Cleared = "cleared";
}

public static class Severities
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";
}

public static class AlertRules
{
    public const string PegelRapidRise = "pegel.rapid-rise";
    public const string ParkingAlmostFull = "parking.almost-full";
    public const string ParkingFull = "parking.full";
    public const string BusDelayed = "bus.delayed";
    public const string SensorStale = "sensor.stale";

    /// <summary><c>pegel.stage1</c> … <c>pegel.stage4</c>.</summary>
    public static string PegelStage(int stage) => stage switch
    {
        1 => "pegel.stage1",
        2 => "pegel.stage2",
        3 => "pegel.stage3",
        4 => "pegel.stage4",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "stages are 1 to 4"),
    };
}
