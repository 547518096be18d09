using System.Text.Json;
using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Cluster;

/// <summary>Every ops verb of the <c>streams</c> executable against a three-node cluster on loopback.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OpsVerbsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_ops_verb_works_with_the_token_is_refused_without_it_and_reports_an_unreachable_node()
    {
        Kcat.EnsureInstalled();
        await using var cluster = new LoopbackCluster();
        var scenario = Scenario.Generate(10, 20, DateTimeOffset.UtcNow);
        KafkaIo.Produce(cluster.Kafka.Bootstrap, scenario.Registry.Concat(scenario.Readings));
        Kcat.Produce(cluster.Kafka.Bootstrap, "streams.pegel", [("broken", "{not json")]);

        var a = await cluster.StartNode();
        var b = await cluster.StartNode();
        var c = await cluster.StartNode();
        await a.Eventually(async () => (await LoopbackCluster.Members(a)).Count(m => m.Status == "Up") == 3, TimeSpan.FromSeconds(60), "three members up");
        await GroupProgress.WaitUntilCaughtUp(a, cluster.Kafka.Bootstrap, TimeSpan.FromSeconds(120));
        var addresses = new[] { await NodeAddress.Of(a), await NodeAddress.Of(b), await NodeAddress.Of(c) };

        async Task<JsonElement> Ok(params string[] args)
        {
            var r = await StreamsCli.Run(LoopbackCluster.Token, [.. args, "--json", "--node", a.Url]);
            Assert.True(r.ExitCode == 0, $"streams {string.Join(' ', args)}: {r}");
            output.WriteLine($"streams {string.Join(' ', args)}: ok");
            return r.Json;
        }

        var show = await Ok("cluster", "show");
        Assert.Equal(addresses.Order(), show.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString()).Order());
        Assert.Equal(3, (await Ok("cluster", "status")).GetProperty("members").GetInt32());
        Assert.Contains((await Ok("cluster", "leader")).GetProperty("leader").GetString(), addresses);

        var regions = await Ok("sharding", "regions");
        Assert.Equal(["municipality", "sensor-bus", "sensor-parking", "sensor-pegel"], regions.EnumerateArray().Select(r => r.GetProperty("type").GetString()!).Order());
        var perNode = await Ok("sharding", "region-stats", "sensor-parking");
        Assert.All(perNode.EnumerateArray(), n => Assert.Contains(n.GetProperty("address").GetString(), addresses));
        // Quiet entities are not kept alive (nor restarted after their shard moved to a node that joined later): ask
        // each car park for its state, which starts it where its shard lives now; then every one is counted once.
        // Shards may still be rebalancing onto the nodes that joined last, and a handed-off shard stops its entities,
        // so each round asks again before it counts.
        var carParkKeys = scenario.Final.Keys.Where(k => k.StartsWith("parking/", StringComparison.Ordinal)).ToList();
        var carParks = carParkKeys.Count;
        var counted = -1;
        var allCounted = a.Eventually(async () =>
        {
            foreach (var key in carParkKeys) await Ok("entity", "show", key);
            counted = (await Ok("sharding", "shard-stats", "sensor-parking")).EnumerateArray()
                .Where(s => addresses.Contains(s.GetProperty("address").GetString())).Sum(s => s.GetProperty("entities").GetInt32());
            return counted == carParks;
        }, TimeSpan.FromSeconds(120), $"{carParks} car parks in the shard stats", TimeSpan.FromSeconds(1));
        try
        {
            await allCounted;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the shard stats counted {counted} car parks, not {carParks}", e);
        }

        var pegel = scenario.Final.Values.First(f => f.Kind == "pegel");
        var entity = await Ok("entity", "show", pegel.Subject);
        Assert.Equal(pegel.LastObservedAt, entity.GetProperty("state").GetProperty("lastObservedAt").GetDateTimeOffset());
        Assert.Equal(pegel.OpenRules.Order(), entity.GetProperty("openAlerts").EnumerateArray().Select(o => o.GetProperty("rule").GetString()!).Order());
        Assert.Equal("05766044", (await Ok("entity", "show", "municipality/05766044")).GetProperty("state").GetProperty("municipality").GetString());

        // The node that joined last may still be taking partitions over (a cooperative rebalance runs in rounds): a
        // partition in transit has no owner for a moment, and `kafka lag` says so. Every one is owned once it settles.
        var lag = new List<JsonElement>();
        await a.Eventually(async () =>
        {
            lag = (await Ok("kafka", "lag")).EnumerateArray().ToList();
            return lag.All(p => p.GetProperty("owner").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(60), "every partition owned");
        Assert.Equal(24, lag.Count);
        Assert.Equal(0, lag.Sum(p => p.GetProperty("lag").ValueKind == JsonValueKind.Number ? p.GetProperty("lag").GetInt64() : 0));
        var owners = lag.Select(p => p.GetProperty("owner").GetString()).ToHashSet();
        Assert.Equal(addresses.Order(), owners.Order());

        var topics = await Ok("kafka", "topics");
        Assert.Equal(7, topics.EnumerateArray().Count(t => t.GetProperty("exists").GetBoolean()));
        Assert.Equal(7, (await Ok("kafka", "topics", "create")).GetProperty("alreadyThere").GetArrayLength());

        var alerts = (await Ok("alerts", "tail", "--municipality", "05766044", "--limit", "50")).EnumerateArray().ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, x => Assert.Equal("05766044", x.GetProperty("data").GetProperty("municipality").GetString()));
        var deadLetters = (await Ok("deadletters", "tail", "--reason", "not-json")).EnumerateArray().ToList();
        Assert.Contains(deadLetters, d => d.GetProperty("key").GetString() == "broken");
        Assert.All(deadLetters, d => Assert.Equal("not-json", d.GetProperty("reason").GetString()));
        Assert.Equal(0, (await Ok("cluster", "down-unreachable")).GetProperty("addresses").GetArrayLength());

        var table = await StreamsCli.Run(LoopbackCluster.Token, "cluster", "show", "--node", b.Url);
        Assert.Equal(0, table.ExitCode);
        Assert.All(addresses, address => Assert.Contains(address, table.Stdout));

        // Refused: a wrong token, no token. The attempt is logged, the token is not.
        var wrong = await StreamsCli.Run("not-the-token", "cluster", "show", "--node", a.Url);
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains("wrong token", wrong.Stderr);
        var missing = await StreamsCli.Run(null, "kafka", "lag", "--node", a.Url);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        await a.Eventually(() => Task.FromResult(a.Output.Any(l => l.Contains("Admin request refused (wrong token)"))), TimeSpan.FromSeconds(10), "refusal logged");
        Assert.DoesNotContain(a.Output, l => l.Contains("not-the-token") || l.Contains(LoopbackCluster.Token));

        // Unreachable: nothing listens there.
        var unreachable = await StreamsCli.Run(LoopbackCluster.Token, "cluster", "show", "--node", $"http://127.0.0.1:{LoopbackCluster.FreePort()}");
        Assert.True(unreachable.ExitCode == 2, unreachable.ToString());

        // Not a member: refused with exit 1, nothing happens.
        Assert.Equal(1, (await StreamsCli.Run(LoopbackCluster.Token, "cluster", "leave", "akka.tcp://streams@127.0.0.1:1", "--node", a.Url)).ExitCode);

        // leave: c hands over and exits by itself; down: b is removed and stops.
        Assert.Equal(0, (await StreamsCli.Run(LoopbackCluster.Token, "cluster", "leave", addresses[2], "--node", a.Url)).ExitCode);
        Assert.True(await c.WaitForExit(TimeSpan.FromSeconds(60)), "the node that was told to leave is still running\n" + c.Tail());
        Assert.Equal(0, c.ExitCode);
        Assert.Equal(0, (await StreamsCli.Run(LoopbackCluster.Token, "cluster", "down", addresses[1], "--node", a.Url)).ExitCode);
        Assert.True(await b.WaitForExit(TimeSpan.FromSeconds(60)), "the downed node is still running\n" + b.Tail());
        await a.Eventually(async () => (await LoopbackCluster.Members(a)).Select(m => m.Address).SequenceEqual([addresses[0]]), TimeSpan.FromSeconds(60), "only the first node left");
        await a.Eventually(async () => (await LoopbackCluster.PartitionOwners(a)).Values.All(o => o == addresses[0]), TimeSpan.FromSeconds(60), "the remaining node owns every partition");

        var metrics = await a.Http.GetStringAsync("/metrics");
        Assert.Contains("streams_readings_consumed_total", metrics);
    }
}
