using System.CommandLine;
using Spectre.Console;
using Streams.Host.Admin;
using static Streams.Host.Cli.OpsOptions;

namespace Streams.Host.Cli;

/// <summary><c>streams sharding regions|region-stats &lt;type&gt;|shard-stats &lt;type&gt;</c>.</summary>
public static class ShardingVerbs
{
    public static Command Build()
    {
        var ops = new OpsOptions();
        var sharding = ops.Group("sharding", "Shard regions, shards per node, entities per shard");

        var regions = new Command("regions", "Every shard region type with its nodes, shards and entities");
        regions.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/sharding/regions", null, body =>
        {
            var table = Table("type", "nodes", "shards", "entities");
            foreach (var r in Read<List<RegionSummary>>(body))
                table.AddRow(Escape(r.Type), r.Nodes.ToString(), r.Shards.ToString(), r.Entities.ToString());
            AnsiConsole.Write(table);
        }, ct));
        sharding.Subcommands.Add(regions);

        var regionType = new Argument<string>("type") { Description = "A region type, e.g. sensor-pegel or municipality" };
        var regionStats = new Command("region-stats", "Per node: shards and entities of one region type") { regionType };
        regionStats.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, $"/admin/sharding/{Uri.EscapeDataString(p.GetValue(regionType)!)}/regions", null, body =>
        {
            var table = Table("node", "shards", "entities");
            foreach (var r in Read<List<RegionNodeStats>>(body)) table.AddRow(Escape(r.Address), r.Shards.ToString(), r.Entities.ToString());
            AnsiConsole.Write(table);
        }, ct));
        sharding.Subcommands.Add(regionStats);

        var shardType = new Argument<string>("type") { Description = "A region type, e.g. sensor-pegel or municipality" };
        var shardStats = new Command("shard-stats", "Per shard: the node it lives on and its entities") { shardType };
        shardStats.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, $"/admin/sharding/{Uri.EscapeDataString(p.GetValue(shardType)!)}/shards", null, body =>
        {
            var table = Table("shard", "node", "entities");
            foreach (var s in Read<List<ShardLocation>>(body)) table.AddRow(Escape(s.ShardId), Escape(s.Address), s.Entities.ToString());
            AnsiConsole.Write(table);
        }, ct));
        sharding.Subcommands.Add(shardStats);
        return sharding;
    }
}
