using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding.External;
using Akka.Event;
using Confluent.Kafka;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;

namespace Streams.Actors.Placement;

/// <summary>
/// When this node's readings consumer is assigned partitions, it asks for the matching sensor shards to live here
/// (Akka's external shard allocation: the coordinator moves a shard at its next rebalance). Revocations need nothing:
/// the partition's new owner claims the shard. A node that died leaves stale claims; shards claimed by a node that is
/// not a member are allocated where they are first needed, and move once a live node claims them.
/// </summary>
public sealed class ShardLocationUpdater(ActorSystem system, InputTopics topics, SensorPlacement placement, ILoggingAdapter log)
{
    public void Claim(IEnumerable<TopicPartition> assigned)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        foreach (var byTopic in assigned.GroupBy(p => p.Topic))
        {
            if (!topics.Readings.Contains(byTopic.Key)) continue;
            var kind = topics.KindOf(byTopic.Key);
            var locations = byTopic
                .Where(p => p.Partition.Value < placement.Partitions)
                .ToImmutableDictionary(p => placement.ShardId(p.Partition.Value), _ => self);
            if (locations.Count == 0) continue;
            var typeName = RegionNames.Of(kind);
            ExternalShardAllocation.Get(system).ClientFor(typeName).UpdateShardLocations(locations).ContinueWith(t =>
            {
                if (t.IsFaulted) log.Warning("Shard locations for {0} not updated (placement follows at the next assignment): {1}", typeName, t.Exception!.GetBaseException().Message);
                else log.Info("{0}: shards {1} claimed for this node ({2})", typeName, string.Join(",", locations.Keys.OrderBy(int.Parse)), self);
            }, TaskScheduler.Default);
        }
    }
}
