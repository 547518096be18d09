using System.Collections.Frozen;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Streams.Actors.Entities;
using Streams.Contracts;

namespace Streams.Actors.Placement;

/// <summary>
/// The sensor shards this node hosts, as its shard regions last reported them (refreshed by the host every few
/// seconds): where a reading's entity actually lives, not where it should live.
/// </summary>
public sealed class LocalShards
{
    private volatile FrozenDictionary<SubjectKind, FrozenSet<string>> _shards = FrozenDictionary<SubjectKind, FrozenSet<string>>.Empty;

    public bool IsLocal(SubjectKind kind, string shard) => _shards.TryGetValue(kind, out var set) && set.Contains(shard);

    public IReadOnlyDictionary<SubjectKind, FrozenSet<string>> Current => _shards;

    public void Set(SubjectKind kind, IEnumerable<string> shards)
    {
        var next = new Dictionary<SubjectKind, FrozenSet<string>>(_shards) { [kind] = shards.ToFrozenSet(StringComparer.Ordinal) };
        _shards = next.ToFrozenDictionary();
    }

    /// <summary>
    /// Asks each sensor region for its shards; a region that does not answer keeps its last known set. The region's
    /// stats (a count per shard) say which shards it hosts as well as its state does, without every shard building a
    /// set of all its entity ids every time (a hundred thousand ids every two seconds at a city's size).
    /// </summary>
    public async Task RefreshAsync(ShardRegions regions, TimeSpan timeout)
    {
        foreach (var kind in RegionNames.SensorKinds)
        {
            var region = regions.Sensors(kind);
            if (region.IsNobody()) continue;
            try
            {
                var stats = await region.Ask<ShardRegionStats>(GetShardRegionStats.Instance, timeout).ConfigureAwait(false);
                Set(kind, stats.Stats.Keys);
            }
            catch (AskTimeoutException)
            {
            }
        }
    }
}
