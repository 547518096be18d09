using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>A sensor's state after a reading or a stale check, with the alerts that change raised (its outbox additions).</summary>
public sealed record SensorStateChanged(SensorEntry Entry, SensorState State, IReadOnlyList<AlertEvent> Alerts) : IStreamsMessage;

/// <summary>These alerts (by id) are acknowledged by Kafka: they leave the outbox.</summary>
public sealed record SensorAlertsPublished(IReadOnlyList<string> AlertIds) : IStreamsMessage;

public sealed record SensorSnapshot(SensorEntry? Entry, SensorState State, IReadOnlyList<AlertEvent> Outbox) : IStreamsMessage;

/// <summary>Aggregate sequence numbers up to this one may be used: after a restart numbering continues above it.</summary>
public sealed record MunicipalitySeqReserved(long UpTo) : IStreamsMessage;

public sealed record MunicipalitySnapshot(long SeqReservedUpTo, IReadOnlyList<SensorSummary> Subjects) : IStreamsMessage;
