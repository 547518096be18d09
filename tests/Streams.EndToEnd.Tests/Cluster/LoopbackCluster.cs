using System.Net;
using System.Net.Sockets;
using Streams.EndToEnd.Tests.Crash;
using Streams.EndToEnd.Tests.DatabaseFaults;

namespace Streams.EndToEnd.Tests.Cluster;

/// <summary>
/// Host processes on loopback forming one Akka cluster (the first is the seed) over one consumer group of the test's
/// embedded Kafka, sharing one PostgreSQL journal (entities move between nodes, their journal must move with them).
/// The admin token reaches the hosts the way a deployment gives it: the environment (inherited).
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    public const string Token = "cluster-test-token";
    private const string TokenVariable = "Streams__Admin__Token";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly OwnPostgres? _ownPostgres;
    private readonly string _journal;
    private readonly int _seedPort = FreePort();
    private readonly string? _previousToken = Environment.GetEnvironmentVariable(TokenVariable);
    private int _started;

    public LoopbackCluster()
    {
        Kafka = new TestKafka();
        // More than one member joins: give the group a moment to collect them before the first assignment.
        Kafka.Cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromSeconds(1));
        if (Postgres.AdminConnectionString is not null) _journal = Postgres.CreateDatabase();
        else
        {
            _ownPostgres = new OwnPostgres();
            _journal = _ownPostgres.ConnectionString;
        }
        Environment.SetEnvironmentVariable(TokenVariable, Token);
    }

    public TestKafka Kafka { get; }
    public List<HostProcess> Nodes { get; } = [];
    public string SeedAddress => $"akka.tcp://streams@127.0.0.1:{_seedPort}";

    /// <summary>Starts one more node (the first one is the seed) and waits until it is ready.</summary>
    public async Task<HostProcess> StartNode(params string[] more)
    {
        var n = ++_started;
        var port = n == 1 ? _seedPort : 0;
        string[] settings =
        [
            "--Streams:Persistence:Provider=PostgreSql",
            $"--Streams:Persistence:ConnectionString={_journal}",
            $"--Streams:Cluster:Port={port}",
            $"--Streams:Cluster:SeedNodes:0={SeedAddress}",
            // The verbs' tests count live entities per shard: none may fall asleep while they look.
            "--Streams:Entities:PassivateIdleAfterSeconds=3600",
            HostTuning.FastGroupRejoin,
            .. more,
        ];
        var host = HostProcess.Start(Path.Combine(_workDir, $"node{n}"), Kafka.HostSettings(Path.Combine(_workDir, $"node{n}", "data"), settings));
        Nodes.Add(host);
        await host.WaitUntilReady(TimeSpan.FromSeconds(120));
        return host;
    }

    /// <summary>The cluster as a node's admin endpoint reports it, read with the CLI.</summary>
    public static async Task<IReadOnlyList<(string Address, string Status)>> Members(HostProcess node)
    {
        var r = await StreamsCli.Run(Token, "cluster", "show", "--json", "--node", node.Url);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Json.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!)).ToList();
    }

    /// <summary>Partition → owner address, from <c>streams kafka lag --json</c>.</summary>
    public static async Task<Dictionary<string, string?>> PartitionOwners(HostProcess node)
    {
        var r = await StreamsCli.Run(Token, "kafka", "lag", "--json", "--node", node.Url);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Json.EnumerateArray().ToDictionary(
            p => $"{p.GetProperty("topic").GetString()}/{p.GetProperty("partition").GetInt32()}",
            p => p.GetProperty("owner").ValueKind == System.Text.Json.JsonValueKind.Null ? null : p.GetProperty("owner").GetString());
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        // STREAMS_TEST_LOGS=<dir>: keep every node's console output there (a cluster failure needs all of them).
        if (Environment.GetEnvironmentVariable("STREAMS_TEST_LOGS") is { Length: > 0 } logs)
        {
            var dir = Directory.CreateDirectory(Path.Combine(logs, Path.GetFileName(_workDir))).FullName;
            for (var i = 0; i < Nodes.Count; i++) await File.WriteAllLinesAsync(Path.Combine(dir, $"node{i + 1}.log"), Nodes[i].Output);
        }
        Environment.SetEnvironmentVariable(TokenVariable, _previousToken);
        Kafka.Dispose();
        _ownPostgres?.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class NodeAddress
{
    /// <summary>The node's own cluster address, from <c>streams cluster status --json</c>.</summary>
    public static async Task<string> Of(HostProcess node)
    {
        var r = await StreamsCli.Run(LoopbackCluster.Token, "cluster", "status", "--json", "--node", node.Url);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Json.GetProperty("self").GetString()!;
    }
}
