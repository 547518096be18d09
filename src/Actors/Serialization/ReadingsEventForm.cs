namespace Streams.Actors.Serialization;

/// <summary>
/// How the applied-readings event is written. Both forms are always read; only the written one is chosen. A rolling
/// upgrade from a release that cannot read the binary form runs with <see cref="Json"/> until every node reads both,
/// then switches to <see cref="Binary"/> with a second rolling restart.
/// </summary>
public enum ReadingsEventForm
{
    /// <summary><c>sensor.readings.v2</c> (<see cref="ReadingsEventCodec"/>): a third of the JSON form's size and cheaper to write.</summary>
    Binary,

    /// <summary><c>sensor.readings.v1</c>: the JSON form every earlier release reads.</summary>
    Json,
}
