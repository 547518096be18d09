using Streams.Actors.Kafka;

namespace Streams.EndToEnd.Tests;

/// <summary>A Kafka cluster owned by the test (librdkafka's mock over TCP), with the contract's topics.</summary>
public sealed class TestKafka : IDisposable
{
    public static readonly string[] ReadingTopics = ["streams.pegel", "streams.parking", "streams.bus"];
    public static readonly string[] OtherTopics = ["streams.registry", "streams.alerts", "streams.aggregates", "streams.deadletter"];

    /// <param name="missing">Topics of the contract not to create.</param>
    public TestKafka(params string[] missing)
    {
        Cluster = EmbeddedKafka.Start(1);
        Cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        foreach (var t in ReadingTopics.Except(missing)) Cluster.CreateTopic(t, 8);
        foreach (var t in OtherTopics.Except(missing)) Cluster.CreateTopic(t, 4);
    }

    public EmbeddedKafka Cluster { get; }
    public string Bootstrap => Cluster.BootstrapServers;

    /// <summary>Command-line settings that point a host at this cluster, with its own data dir and no demo feed.</summary>
    public string[] HostSettings(string dataDir, params string[] more) =>
    [
        $"--Streams:Kafka:BootstrapServers={Bootstrap}",
        $"--Streams:DataDir={dataDir}",
        "--Streams:Demo:Enabled=false",
        "--Streams:Pipeline:StatusIntervalSeconds=1",
        // A killed host's consumer stays in the group until its session times out (librdkafka: 45 s); keep tests quick.
        "--Streams:Kafka:Properties:session.timeout.ms=6000",
        "--Streams:Kafka:Properties:heartbeat.interval.ms=1500",
        .. more,
    ];

    public void Dispose() => Cluster.Dispose();
}
