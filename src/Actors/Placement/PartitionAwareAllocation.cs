using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.External;

namespace Streams.Actors.Placement;

/// <summary>
/// Akka's external shard allocation (shards go where <see cref="ShardLocationUpdater"/> claimed them), but never onto a
/// member that is not Up. A leaving node's claims outlive its consumer: while its region still shut down, the external
/// strategy allocated a shard it had just handed off back to it, and that shard's entities ran on two nodes at once
/// (two writers in one journal). Such a shard goes to the requester instead (or the Up region with the fewest shards),
/// and is not rebalanced towards a member that is not Up.
/// </summary>
public sealed class PartitionAwareAllocation(ActorSystem system, string typeName) : IStartableAllocationStrategy
{
    private static readonly TimeSpan LocationsTimeout = TimeSpan.FromSeconds(5);
    private readonly ExternalShardAllocationStrategy _external = new(system, typeName);
    private readonly Cluster _cluster = Cluster.Get(system);

    public void Start() => _external.Start();

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var chosen = await _external.AllocateShard(requester, shardId, currentShardAllocations).ConfigureAwait(false);
        if (IsUp(chosen)) return chosen;
        if (IsUp(requester)) return requester;
        return currentShardAllocations.Where(r => IsUp(r.Key)).OrderBy(r => r.Value.Count).Select(r => r.Key).FirstOrDefault() ?? requester;
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var shards = await _external.Rebalance(currentShardAllocations, rebalanceInProgress).ConfigureAwait(false);
        if (shards.Count == 0) return shards;
        var desired = await ExternalShardAllocation.Get(system).ClientFor(typeName).ShardLocations().ConfigureAwait(false);
        return shards.Where(s => desired.Locations.TryGetValue(s, out var location) && IsUp(location.Address)).ToImmutableHashSet();
    }

    private bool IsUp(IActorRef region) =>
        IsUp(region.Path.Address.HasLocalScope ? _cluster.SelfAddress : region.Path.Address);

    private bool IsUp(Address? address) =>
        address is not null && _cluster.State.Members.Any(m => m.Address.Equals(address) && m.Status == MemberStatus.Up);
}
