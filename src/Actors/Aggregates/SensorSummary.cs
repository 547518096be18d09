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
    bool Delayed);
