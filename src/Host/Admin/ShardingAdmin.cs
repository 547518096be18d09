using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Streams.Host.Admin;

/// <summary>Admin routes for sharding: the region types, per-node stats of a type, and where each shard lives.</summary>
public static class ShardingAdmin
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapShardingAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/sharding/regions", async (ActorSystem system) =>
        {
            var sharding = ClusterSharding.Get(system);
            var summaries = new List<RegionSummary>();
            foreach (var type in sharding.ShardTypeNames.Order())
            {
                var stats = await Stats(sharding, type);
                summaries.Add(new RegionSummary(type, stats.Regions.Count,
                    stats.Regions.Values.Sum(r => r.Stats.Count), stats.Regions.Values.Sum(r => r.Stats.Values.Sum())));
            }
            return Results.Ok(summaries);
        });

        admin.MapGet("/sharding/{type}/regions", async (string type, ActorSystem system) =>
        {
            var sharding = ClusterSharding.Get(system);
            if (!sharding.ShardTypeNames.Contains(type)) return UnknownType(sharding, type);
            var stats = await Stats(sharding, type);
            return Results.Ok(stats.Regions
                .Select(r => new RegionNodeStats(r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum()))
                .OrderBy(r => r.Address).ToList());
        });

        admin.MapGet("/sharding/{type}/shards", async (string type, ActorSystem system) =>
        {
            var sharding = ClusterSharding.Get(system);
            if (!sharding.ShardTypeNames.Contains(type)) return UnknownType(sharding, type);
            return Results.Ok(ShardLocations(await Stats(sharding, type)));
        });
        return admin;
    }

    public static IReadOnlyList<ShardLocation> ShardLocations(ClusterShardingStats stats) =>
        stats.Regions
            .SelectMany(r => r.Value.Stats.Select(s => new ShardLocation(s.Key, r.Key.ToString(), s.Value)))
            .OrderBy(s => s.ShardId.Length).ThenBy(s => s.ShardId, StringComparer.Ordinal)
            .ToList();

    private static Task<ClusterShardingStats> Stats(ClusterSharding sharding, string type) =>
        sharding.ShardRegion(type).Ask<ClusterShardingStats>(new GetClusterShardingStats(StatsTimeout), StatsTimeout + TimeSpan.FromSeconds(1));

    private static IResult UnknownType(ClusterSharding sharding, string type) =>
        Results.NotFound(new ErrorBody($"no shard region '{type}'; known: {string.Join(", ", sharding.ShardTypeNames.Order())}"));
}
