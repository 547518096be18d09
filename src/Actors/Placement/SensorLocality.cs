using Streams.Contracts;

namespace Streams.Actors.Placement;

/// <summary>What the readings pipeline needs to tell where a subject's entity lives: its shard and this node's shards.</summary>
public sealed class SensorLocality(SensorPlacement placement, LocalShards local, PlacementMetrics metrics)
{
    public SensorPlacement Placement => placement;
    public PlacementMetrics Metrics => metrics;

    public bool IsLocal(SubjectKind kind, int partition) => local.IsLocal(kind, placement.ShardId(partition));
}
