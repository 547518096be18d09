using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// Registry changes apply at once (contract): a tombstone retires the sensor, a changed entry (thresholds, interval,
/// a move to another municipality, or a registration after retirement) is handed to the sensor now, reading or not.
/// While the registry is first read at start nothing is sent: entities reconcile with the registry when they start.
/// </summary>
public sealed class RegistryChangeRouter(RegistryView registry, ShardRegions regions)
{
    public void Route(RegistryChange change)
    {
        if (change.Kind == SubjectKind.Municipality || !registry.IsLoaded) return;
        var region = regions.Sensors(change.Kind);
        if (change.Removed) region.Tell(new RetireSensor(change.Id));
        else if (change.Current is SensorEntry entry) region.Tell(new UpdateEntry(entry));
    }
}
