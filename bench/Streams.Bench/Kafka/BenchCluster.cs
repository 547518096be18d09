using Streams.Actors.Kafka;

namespace Streams.Bench.Kafka;

/// <summary>The embedded Kafka (librdkafka's mock cluster in this process) with the run's topics created natively.</summary>
public sealed class BenchCluster : IDisposable
{
    private readonly EmbeddedKafka _kafka;

    private BenchCluster(EmbeddedKafka kafka) => _kafka = kafka;

    public string BootstrapServers => _kafka.BootstrapServers;

    public static BenchCluster Start(Topology topology)
    {
        var kafka = EmbeddedKafka.Start(1);
        kafka.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        foreach (var (topic, partitions) in topology.Partitions) kafka.CreateTopic(topic, partitions);
        return new BenchCluster(kafka);
    }

    public void DeleteRecordsBefore(string topic, int partition, long beforeOffset) =>
        _kafka.DeleteRecordsBefore(topic, partition, beforeOffset);

    public void Dispose() => _kafka.Dispose();
}
