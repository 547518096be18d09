using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Actors.Registry;

namespace Streams.Host.Ingestion;

/// <summary>
/// Starts every municipality the registry knows (a running one ignores this); each wakes its sensors in turn. An
/// entity whose store failed stops, and nothing restarts it until a message arrives: a sensor with no more readings
/// would never raise its staleness alert, a municipality never write its aggregate. Waking them all now and then
/// restarts such entities once the store is back.
/// </summary>
public sealed class MunicipalityWaker(RegistryView registry, EntityContext entities)
{
    public int WakeAll()
    {
        var municipalities = registry.MunicipalityIds();
        foreach (var id in municipalities) entities.Regions.Municipalities.Tell(new WakeMunicipality(id));
        return municipalities.Count;
    }

    public async Task KeepAwakeAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(entities.Tuning.AggregateHeartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) WakeAll();
        }
        catch (OperationCanceledException) { }
    }
}
