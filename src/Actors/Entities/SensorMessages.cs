using Streams.Actors.Aggregates;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>Messages routed to a sensor entity through its kind's shard region.</summary>
public interface ISensorCommand : IStreamsMessage
{
    string SensorId { get; }
}

/// <summary>A validated reading with the registry entry it resolved to (for unregistered buses, a synthesized entry).</summary>
public sealed record EntryReading(SensorEntry Entry, Reading Reading);

/// <summary>
/// Apply these readings of one subject, in this (partition) order, as one atomic write. Answered with
/// <see cref="ReadingsAck"/> once all are durable and their alerts are on Kafka, with <see cref="ReadingsNotStored"/>
/// when the journal failed (nothing of the batch is stored; ask again), or <see cref="ReadingsRefused"/> when the
/// sensor was retired from the registry meanwhile.
/// </summary>
public sealed record ApplyReadings(string SensorId, IReadOnlyList<EntryReading> Items) : ISensorCommand;

/// <summary>The batch is durable and its alerts are on the alerts topic.</summary>
public sealed record ReadingsAck(string Subject, int Applied, int Duplicates, int Alerts) : IStreamsMessage;

/// <summary>
/// The batch could not be stored (the journal failed) and the entity stops; ask again after a pause. Sent instead of
/// leaving the asker to time out, so work resumes as soon as the store is back.
/// </summary>
public sealed record ReadingsNotStored(string Subject, string Reason) : IStreamsMessage;

/// <summary>The sensor is retired (registry tombstone): its readings are unknown-subject.</summary>
public sealed record ReadingsRefused(string Subject, string Reason) : IStreamsMessage;

/// <summary>Report the current summary to the municipality.</summary>
public sealed record ReportSummary(string SensorId) : ISensorCommand;

/// <summary>The registry entry changed (thresholds, interval, municipality) or was registered again: apply it now.</summary>
public sealed record UpdateEntry(SensorEntry Entry) : ISensorCommand
{
    public string SensorId => Entry.Id;
}

/// <summary>The registry entry was removed (tombstone): leave the municipality, refuse readings until registered again.</summary>
public sealed record RetireSensor(string SensorId) : ISensorCommand;

/// <summary>Sent by the municipality's due-time index when the sensor may have gone silent: check staleness now.</summary>
public sealed record CheckStaleness(string SensorId) : ISensorCommand;

/// <summary>Ask for the live state (ops and HTTP).</summary>
public sealed record GetSensorState(string SensorId) : ISensorCommand;

public sealed record SensorStateReply(string Subject, Rules.SensorState State, int PendingAlerts) : IStreamsMessage;

/// <summary>
/// The shard's stop message (hand-off and idle passivation): the entity finishes or abandons (after a timeout) its
/// in-flight write and publication before it stops, so a new incarnation elsewhere cannot overtake it.
/// </summary>
public sealed record StopEntity : IStreamsMessage
{
    public static readonly StopEntity Instance = new();
}

/// <summary>Messages routed to a municipality entity.</summary>
public interface IMunicipalityCommand : IStreamsMessage
{
    string Municipality { get; }
}

public sealed record SensorChanged(SensorSummary Summary) : IMunicipalityCommand
{
    public string Municipality => Summary.Municipality;
}

public sealed record SensorRemoved(string Municipality, SubjectKind Kind, string SensorId) : IMunicipalityCommand;

public sealed record GetAggregate(string Municipality) : IMunicipalityCommand;

/// <summary>Start the municipality (sent to every known one when a node has loaded the registry).</summary>
public sealed record WakeMunicipality(string Municipality) : IMunicipalityCommand;

/// <summary>Marker for everything that crosses actor boundaries or is persisted: bound to the project's serializer.</summary>
public interface IStreamsMessage;
