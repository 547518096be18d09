using Streams.Contracts;

namespace Streams.Actors.Aggregates;

/// <summary>What a sensor tells its municipality after every change: enough to recompute the aggregate.</summary>
public sealed record SensorSummary(
    SubjectKind Kind,
    string SensorId,
    string Municipality,
    DateTimeOffset? LastObservedAt,
    bool IsStale,
    int OpenAlerts,
    // pegel
    int? Stage,
    bool Rising,
    // parking
    int? Capacity,
    int? Occupied,
    int? Free,
    bool AlmostFull,
    bool Full,
    // bus
    int? DelaySeconds,
    bool Delayed)
{
    /// <summary>Wall-clock time the sensor turns (or turned) stale if nothing arrives: its last applied reading + 3 × interval.</summary>
    public DateTimeOffset? StaleDueAt { get; init; }

    /// <summary>The sensor has alerts it could not publish yet (it must be woken to retry if it stops).</summary>
    public bool OwesAlerts { get; init; }
}
