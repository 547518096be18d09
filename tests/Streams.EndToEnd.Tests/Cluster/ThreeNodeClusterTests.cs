using System.Diagnostics;
using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Cluster;

/// <summary>
/// Nodes on loopback in one cluster and one consumer group, one shared journal, the scenario's readings fed in four
/// equal parts: one node alone, then three, then one leaving by SIGTERM and one added, then one killed by SIGKILL.
/// The alerts on Kafka are compared with the scenario's oracle (what an uninterrupted run yields).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ThreeNodeClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Work_spreads_over_three_nodes_a_sigterm_duplicates_no_alert_and_a_join_and_a_sigkill_lose_none()
    {
        await using var cluster = new LoopbackCluster();
        var bootstrap = cluster.Kafka.Bootstrap;
        var scenario = Scenario.Generate(20, 200, DateTimeOffset.UtcNow);
        var parts = scenario.Readings.Chunk(scenario.Readings.Count / 4).ToList();
        KafkaIo.Produce(bootstrap, scenario.Registry);
        output.WriteLine($"{scenario.Expected.Count} subjects, {scenario.Readings.Count} readings in 4 parts, {scenario.ExpectedAlertCount} alerts expected");

        // 1. One node alone: the baseline.
        var a = await cluster.StartNode();
        var one = await Feed(a, bootstrap, parts[0]);
        output.WriteLine($"1 node: {parts[0].Length} readings in {one.TotalSeconds:0.0} s = {parts[0].Length / one.TotalSeconds:0} readings/s");

        // 2. Three nodes: partitions and shards spread over all of them.
        var b = await cluster.StartNode();
        var c = await cluster.StartNode();
        // A node joining others takes partitions from them only once it can handle them: its registry is loaded.
        Assert.Contains(b.Output, l => l.Contains("Readings consumer joins its group once the registry is loaded; 1 other cluster member(s) consume meanwhile"));
        var three = new[] { await NodeAddress.Of(a), await NodeAddress.Of(b), await NodeAddress.Of(c) };
        await a.Eventually(async () => (await LoopbackCluster.PartitionOwners(a)).Values.Distinct().Count() == 3, TimeSpan.FromSeconds(90), "partitions on three nodes");
        var routedBefore = await Routed([a, b, c]);
        var elapsed = await Feed(a, bootstrap, parts[1]);
        var routed = await Routed([a, b, c]) - routedBefore;
        // Right after the partitions spread, most sensor shards are still where they were first placed: they follow
        // their partitions at the coordinator's next rebalances (the partition-aware test waits for that).
        output.WriteLine($"3 nodes: {parts[1].Length} readings in {elapsed.TotalSeconds:0.0} s = {parts[1].Length / elapsed.TotalSeconds:0} readings/s; "
                         + $"crossing nodes: {routed.Remote} of {routed.Local + routed.Remote} ({routed.RemoteShare:P1}) before the shards settled");
        await a.Eventually(async () => (await ShardNodes(a)).SetEquals(three), TimeSpan.FromSeconds(90), "shards on three nodes");

        // 3. SIGTERM: b drains and leaves; d joins; no alert is published twice.
        b.SendSigterm();
        Assert.True(await b.WaitForExit(TimeSpan.FromSeconds(60)), "exit after SIGTERM\n" + b.Tail());
        Assert.Equal(0, b.ExitCode);
        var d = await cluster.StartNode();
        var afterJoin = new[] { three[0], three[2], await NodeAddress.Of(d) };
        await a.Eventually(async () => (await LoopbackCluster.PartitionOwners(a)).Values.ToHashSet().SetEquals(afterJoin), TimeSpan.FromSeconds(90), "partitions on a, c and d");
        await Feed(a, bootstrap, parts[2]);
        var graceful = OutputCheck.Alerts(scenario, KafkaIo.ReadAll(bootstrap, "streams.alerts", 4),
            scenario.Expected.Keys);
        output.WriteLine($"after SIGTERM and join: {graceful}");
        Assert.Equal(0, graceful.DuplicatesById);
        Assert.Empty(graceful.Unexpected);

        // 4. SIGKILL c while readings are in flight: its partitions and shards move, nothing is lost.
        KafkaIo.Produce(bootstrap, parts.Skip(3).SelectMany(p => p));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var recovery = Stopwatch.StartNew();
        c.Kill();
        Assert.True(await c.WaitForExit(TimeSpan.FromSeconds(10)), "killed node still running");
        var survivors = new[] { afterJoin[0], afterJoin[2] };
        await a.Eventually(async () => (await LoopbackCluster.PartitionOwners(a)).Values.All(o => o is not null && survivors.Contains(o)), CatchUp, "partitions on the survivors");
        var partitionsMoved = recovery.Elapsed;
        await GroupProgress.WaitUntilCaughtUp(a, bootstrap, CatchUp);
        output.WriteLine($"SIGKILL: partitions moved after {partitionsMoved.TotalSeconds:0.0} s, everything committed after {recovery.Elapsed.TotalSeconds:0.0} s");
        await a.Eventually(async () => (await LoopbackCluster.Members(a)).Count == 2, TimeSpan.FromSeconds(60), "the killed node downed by the split-brain resolver");

        var report = OutputCheck.Alerts(scenario, KafkaIo.ReadAll(bootstrap, "streams.alerts", 4));
        output.WriteLine($"final: {report}");
        report.AssertClean();
    }

    [Fact]
    public async Task With_partition_aware_placement_sensor_shards_follow_their_partitions_and_readings_stay_on_the_node_that_consumed_them()
    {
        const string placement = "--Streams:Kafka:PartitionAwarePlacement=true";
        await using var cluster = new LoopbackCluster();
        var bootstrap = cluster.Kafka.Bootstrap;
        var scenario = Scenario.Generate(20, 60, DateTimeOffset.UtcNow);
        var parts = scenario.Readings.Chunk(scenario.Readings.Count / 2).ToList();
        KafkaIo.Produce(bootstrap, scenario.Registry);
        var nodes = new[] { await cluster.StartNode(placement), await cluster.StartNode(placement), await cluster.StartNode(placement) };
        var a = nodes[0];
        await a.Eventually(async () => (await LoopbackCluster.PartitionOwners(a)).Values.Distinct().Count() == 3, TimeSpan.FromSeconds(90), "partitions on three nodes");
        await Feed(a, bootstrap, parts[0]);
        // Once the group's assignment has settled, every sensor shard moves to the node that consumes its partition
        // (at the coordinator's next rebalance, every 10 s).
        await a.Eventually(async () => await AssignmentSettled(a) && (await MisplacedShards(a)).Count == 0, TimeSpan.FromSeconds(90),
            "sensor shards on the nodes consuming their partitions");

        var routedBefore = await Routed(nodes);
        var elapsed = await Feed(a, bootstrap, parts[1]);
        var routed = await Routed(nodes) - routedBefore;
        output.WriteLine($"3 nodes, partition-aware: {parts[1].Length} readings in {elapsed.TotalSeconds:0.0} s; "
                         + $"crossing nodes: {routed.Remote} of {routed.Local + routed.Remote} ({routed.RemoteShare:P1})");
        Assert.True(routed.Local + routed.Remote > 0, "readings routed");
        // A shard counts as local once its node's region reports it (refreshed every 2 s). Default placement sends
        // about two thirds across.
        Assert.True(routed.RemoteShare < 0.1, $"{routed.RemoteShare:P1} of the readings crossed nodes; misplaced shards: {string.Join(", ", await MisplacedShards(a))}");
        var report = OutputCheck.Alerts(scenario, KafkaIo.ReadAll(bootstrap, "streams.alerts", 4));
        output.WriteLine($"alerts: {report}");
        report.AssertClean();
    }

    /// <summary>Produces the readings and returns how long the group took to commit all of them.</summary>
    private static async Task<TimeSpan> Feed(HostProcess node, string bootstrap, IEnumerable<ScenarioRecord> readings)
    {
        var watch = Stopwatch.StartNew();
        KafkaIo.Produce(bootstrap, readings);
        await GroupProgress.WaitUntilCaughtUp(node, bootstrap, CatchUp);
        return watch.Elapsed;
    }

    /// <summary>The partition owners stay the same for 5 s (a cooperative rebalance can take more than one round).</summary>
    private static async Task<bool> AssignmentSettled(HostProcess node)
    {
        var before = await LoopbackCluster.PartitionOwners(node);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await LoopbackCluster.PartitionOwners(node);
        return before.Count == after.Count && before.All(kv => after.GetValueOrDefault(kv.Key) == kv.Value);
    }

    /// <summary>Sensor shards that do not live on the node consuming their partition ("type/shard: where → owner").</summary>
    private static async Task<List<string>> MisplacedShards(HostProcess node)
    {
        var owners = await LoopbackCluster.PartitionOwners(node);
        var misplaced = new List<string>();
        foreach (var (type, topic) in new[] { ("sensor-pegel", "streams.pegel"), ("sensor-parking", "streams.parking"), ("sensor-bus", "streams.bus") })
        {
            var r = await StreamsCli.Run(LoopbackCluster.Token, "sharding", "shard-stats", type, "--json", "--node", node.Url);
            Assert.True(r.ExitCode == 0, r.ToString());
            foreach (var shard in r.Json.EnumerateArray())
            {
                var (id, address) = (shard.GetProperty("shardId").GetString()!, shard.GetProperty("address").GetString()!);
                var owner = owners.GetValueOrDefault($"{topic}/{id}");
                if (owner != address) misplaced.Add($"{type}/{id}: {address} → {owner}");
            }
        }
        return misplaced;
    }

    private sealed record Routing(long Local, long Remote)
    {
        public double RemoteShare => Local + Remote == 0 ? 0 : (double)Remote / (Local + Remote);
        public static Routing operator -(Routing x, Routing y) => new(x.Local - y.Local, x.Remote - y.Remote);
    }

    /// <summary>Readings routed to a local or a remote entity, summed over the nodes (their /api/status).</summary>
    private static async Task<Routing> Routed(IEnumerable<HostProcess> nodes)
    {
        var (local, remote) = (0L, 0L);
        foreach (var node in nodes)
        {
            var routing = (await node.GetJson("/api/status")).GetProperty("routing");
            local += routing.GetProperty("local").GetInt64();
            remote += routing.GetProperty("remote").GetInt64();
        }
        return new Routing(local, remote);
    }

    private static async Task<HashSet<string>> ShardNodes(HostProcess node)
    {
        var nodes = new HashSet<string>();
        foreach (var type in new[] { "sensor-pegel", "sensor-parking", "sensor-bus", "municipality" })
        {
            var r = await StreamsCli.Run(LoopbackCluster.Token, "sharding", "region-stats", type, "--json", "--node", node.Url);
            Assert.True(r.ExitCode == 0, r.ToString());
            foreach (var n in r.Json.EnumerateArray().Where(n => n.GetProperty("shards").GetInt32() > 0)) nodes.Add(n.GetProperty("address").GetString()!);
        }
        return nodes;
    }
}
