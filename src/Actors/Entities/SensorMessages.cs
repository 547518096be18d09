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

/// <summary>Apply a validated reading with the registry entry in force now. Answered with <see cref="ReadingAck"/>.</summary>
public sealed record ApplyReading(SensorEntry Entry, Reading Reading) : ISensorCommand
{
    public string SensorId => Reading.SubjectId;
}

/// <summary>The reading is durable (state persisted) and its alerts are on the alerts topic.</summary>
public sealed record ReadingAck(string Subject, bool Applied, int Alerts) : IStreamsMessage;

/// <summary>
/// The reading could not be stored (the journal failed) and the entity stops; ask again after a pause. Sent instead of
/// leaving the asker to time out, so work resumes as soon as the store is back.
/// </summary>
public sealed record ReadingNotStored(string Subject, string Reason) : IStreamsMessage;

/// <summary>Report the current summary to the municipality (sent when a municipality recovers).</summary>
public sealed record ReportSummary(string SensorId) : ISensorCommand;

/// <summary>The registry entry was removed (tombstone): leave the municipality and stop.</summary>
public sealed record RetireSensor(string SensorId) : ISensorCommand;

/// <summary>Ask for the live state (ops and HTTP).</summary>
public sealed record GetSensorState(string SensorId) : ISensorCommand;

public sealed record SensorStateReply(string Subject, Rules.SensorState State, int PendingAlerts) : IStreamsMessage;

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

/// <summary>
/// Start the municipality (sent to every known one when a node has loaded the registry). Starting, it asks its sensors
/// to report, which starts them too: aggregates converge and staleness timers run without waiting for readings.
/// </summary>
public sealed record WakeMunicipality(string Municipality) : IMunicipalityCommand;

/// <summary>Marker for everything that crosses actor boundaries or is persisted: bound to the project's JSON serializer.</summary>
public interface IStreamsMessage;
