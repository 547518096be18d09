using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>
/// A reading was applied, at this wall-clock time, with this registry entry (null: the same entry as before).
/// Recovery applies it again through the pure rules, which gives the same state and the same alerts.
/// </summary>
public sealed record SensorReadingApplied(Reading Reading, DateTimeOffset WallClock, SensorEntry? Entry) : IStreamsMessage;

/// <summary>The staleness check at this wall-clock time raised <c>sensor.stale</c>.</summary>
public sealed record SensorStaleRaised(DateTimeOffset WallClock) : IStreamsMessage;

/// <summary>These alerts (by id) are acknowledged by Kafka: they leave the outbox.</summary>
public sealed record SensorAlertsPublished(IReadOnlyList<string> AlertIds) : IStreamsMessage;

public sealed record SensorSnapshot(SensorEntry? Entry, SensorState State, IReadOnlyList<AlertEvent> Outbox) : IStreamsMessage;

/// <summary>Aggregate sequence numbers up to this one may be used: after a restart numbering continues above it.</summary>
public sealed record MunicipalitySeqReserved(long UpTo) : IStreamsMessage;

public sealed record MunicipalitySnapshot(long SeqReservedUpTo, IReadOnlyList<SensorSummary> Subjects) : IStreamsMessage;
