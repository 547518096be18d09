using Streams.Actors.Entities;
using Streams.Actors.Placement;

namespace Streams.Host.Ingestion;

/// <summary>Keeps <see cref="LocalShards"/> current: which sensor shards this node hosts, asked of its regions every 2 s.</summary>
public sealed class LocalShardsRefresh(LocalShards shards, EntityContext entities) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await shards.RefreshAsync(entities.Regions, Interval).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }
}
