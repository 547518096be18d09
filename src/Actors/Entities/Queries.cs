using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>
/// Ask a sensor for its live state with the registry entry it applies (for an unregistered bus the entry it derived;
/// after a move, the entry in force). Answered with <see cref="SensorDetail"/>. Send it only for known subjects:
/// any message to a shard region starts the entity.
/// </summary>
public sealed record GetSensorDetail(string SensorId) : ISensorCommand;

/// <param name="PendingAlerts">Alerts raised but not yet acknowledged by Kafka (the outbox).</param>
public sealed record SensorDetail(string Subject, SensorEntry? Entry, SensorState State, int PendingAlerts) : IStreamsMessage;

/// <summary>
/// Ask a municipality for its aggregate now and the latest summary of each subject it counts (registered or not).
/// Answered with <see cref="MunicipalitySubjects"/>. Send it only for known municipalities.
/// </summary>
public sealed record GetMunicipalitySubjects(string Municipality) : IMunicipalityCommand;

public sealed record MunicipalitySubjects(MunicipalityAggregate Aggregate, IReadOnlyList<SensorSummary> Subjects) : IStreamsMessage;
