using Akka.Cluster.Sharding;
using Streams.Actors.Placement;

namespace Streams.Actors.Entities;

/// <summary>
/// Entity id = sensor id within its kind's region; shard id = the partition of the sensor's key in its readings topic
/// (<see cref="SensorPlacement"/>), so that a shard can live on the node that consumes that partition.
/// </summary>
public sealed class SensorMessageExtractor(SensorPlacement placement) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        ISensorCommand c => c.SensorId,
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } id ? placement.ShardOf(id) : null;

    public string ShardId(string entityId, object? messageHint = null) => placement.ShardOf(entityId);
}

/// <summary>Entity id = municipality id (AGS).</summary>
public sealed class MunicipalityMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        IMunicipalityCommand c => c.Municipality,
        _ => null,
    };
}
