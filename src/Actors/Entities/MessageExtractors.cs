using Akka.Cluster.Sharding;

namespace Streams.Actors.Entities;

/// <summary>Entity id = sensor id within its kind's region; shards by hash.</summary>
public sealed class SensorMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        ISensorCommand c => c.SensorId,
        _ => null,
    };
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
