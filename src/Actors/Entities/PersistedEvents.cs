using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

// Persisted types: each has a fixed manifest in Serialization/PersistedManifests.cs. Never rename a manifest; add a
// new type (and keep reading the old one) when a shape changes incompatibly.

/// <summary>Legacy (journals before batching): one applied reading. Still read on recovery, no longer written.</summary>
public sealed record SensorReadingApplied(Reading Reading, DateTimeOffset WallClock, SensorEntry? Entry) : IStreamsMessage;

/// <summary>A reading that was applied, with the registry entry when it differs from the one before it (else null).</summary>
public sealed record AppliedReading(Reading Reading, SensorEntry? Entry);

/// <summary>
/// A batch of readings applied at this wall-clock time, as one atomic write. Recovery applies them again through the
/// pure rules, which gives the same state and the same alerts.
/// </summary>
public sealed record SensorReadingsApplied(IReadOnlyList<AppliedReading> Readings, DateTimeOffset WallClock) : IStreamsMessage;

/// <summary>The staleness check at this wall-clock time raised <c>sensor.stale</c>, with the entry the rules used.</summary>
public sealed record SensorStaleRaised(DateTimeOffset WallClock, SensorEntry? Entry = null) : IStreamsMessage;

/// <summary>The registry entry changed between readings (e.g. a move to another municipality), or came back after retirement.</summary>
public sealed record SensorEntryChanged(SensorEntry Entry) : IStreamsMessage;

/// <summary>A registry tombstone retired the sensor: it left its municipality; readings are refused until it is registered again.</summary>
public sealed record SensorRetired(DateTimeOffset WallClock) : IStreamsMessage;

/// <summary>These alerts (by id) are acknowledged by Kafka: they leave the outbox.</summary>
public sealed record SensorAlertsPublished(IReadOnlyList<string> AlertIds) : IStreamsMessage;

public sealed record SensorSnapshot(SensorEntry? Entry, SensorState State, IReadOnlyList<AlertEvent> Outbox) : IStreamsMessage
{
    public bool Retired { get; init; }
}

/// <summary>Aggregate sequence numbers up to this one may be used: after a restart numbering continues above it.</summary>
public sealed record MunicipalitySeqReserved(long UpTo) : IStreamsMessage;

/// <summary>A subject became a member of the municipality (its first summary arrived).</summary>
public sealed record MunicipalityMemberJoined(SubjectKind Kind, string SensorId) : IStreamsMessage;

/// <summary>A subject left: moved away, retired, or an unregistered vehicle stale for longer than the contract allows.</summary>
public sealed record MunicipalityMemberLeft(SubjectKind Kind, string SensorId) : IStreamsMessage;

public sealed record MunicipalitySnapshot(long SeqReservedUpTo, IReadOnlyList<SensorSummary> Subjects) : IStreamsMessage
{
    /// <summary>Members without a known summary at snapshot time (joined, not yet reported).</summary>
    public IReadOnlyList<MunicipalityMemberJoined>? Unreported { get; init; }
}
