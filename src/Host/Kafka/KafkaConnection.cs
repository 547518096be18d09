using Confluent.Kafka;
using Streams.Actors.Kafka;
using Streams.Host.Configuration;

namespace Streams.Host.Kafka;

/// <summary>
/// Where Kafka is: an external cluster from configuration, or the embedded mock cluster started here with every
/// contract topic created (readings with <see cref="KafkaOptions.ReadingPartitions"/> partitions).
/// </summary>
public sealed class KafkaConnection : IDisposable
{
    private readonly EmbeddedKafka? _embedded;

    public KafkaConnection(StreamsOptions options)
    {
        Properties = options.Kafka.Properties;
        GroupId = options.Kafka.GroupId;
        if (!options.Kafka.IsEmbedded)
        {
            BootstrapServers = options.Kafka.BootstrapServers;
            return;
        }
        _embedded = EmbeddedKafka.Start(options.Kafka.EmbeddedBrokers);
        // A single-process cluster has nobody to wait for before the first group rebalance.
        _embedded.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        BootstrapServers = _embedded.BootstrapServers;
        var t = options.Topics;
        foreach (var topic in new[] { t.Pegel, t.Parking, t.Bus })
            _embedded.CreateTopic(topic, options.Kafka.ReadingPartitions);
        foreach (var topic in new[] { t.Registry, t.Alerts, t.Aggregates, t.DeadLetter })
            _embedded.CreateTopic(topic, 4);
    }

    public string BootstrapServers { get; }
    public string GroupId { get; }
    public IReadOnlyDictionary<string, string> Properties { get; }
    public bool IsEmbedded => _embedded is not null;
    public EmbeddedKafka? Embedded => _embedded;

    public ConsumerSettings Consumer(string groupId) => new(BootstrapServers, groupId) { Properties = Properties };

    public ProducerSettings Producer() => new(BootstrapServers) { Properties = Properties };

    /// <summary>Topics that the broker does not know (external Kafka: they must be provisioned or auto-created).</summary>
    public IReadOnlyList<string> MissingTopics(IEnumerable<string> topics, TimeSpan timeout)
    {
        var config = new AdminClientConfig { BootstrapServers = BootstrapServers };
        foreach (var (k, v) in Properties) config.Set(k, v);
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(timeout);
        var known = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0).Select(t => t.Topic).ToHashSet();
        return topics.Where(t => !known.Contains(t)).ToList();
    }

    public void Dispose() => _embedded?.Dispose();
}
