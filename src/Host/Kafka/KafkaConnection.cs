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

    private readonly string? _groupInstanceId;

    public KafkaConnection(StreamsOptions options, TopicProvisioningOptions? provisioning = null, string? groupInstanceId = null)
    {
        Properties = options.Kafka.Properties;
        GroupId = options.Kafka.GroupId;
        _groupInstanceId = groupInstanceId;
        if (!options.Kafka.IsEmbedded)
        {
            BootstrapServers = options.Kafka.BootstrapServers;
            return;
        }
        _embedded = EmbeddedKafka.Start(options.Kafka.EmbeddedBrokers);
        // A single-process cluster has nobody to wait for before the first group rebalance.
        _embedded.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        BootstrapServers = _embedded.BootstrapServers;
        // The mock cluster knows no topic configs (compaction); partitions follow the same plan as a real cluster.
        foreach (var spec in TopicPlan.For(options, provisioning ?? new TopicProvisioningOptions()))
            _embedded.CreateTopic(spec.Name, spec.Partitions);
    }

    public string BootstrapServers { get; }
    public string GroupId { get; }
    public IReadOnlyDictionary<string, string> Properties { get; }
    public bool IsEmbedded => _embedded is not null;
    public EmbeddedKafka? Embedded => _embedded;

    /// <summary>The readings group's consumers carry this node's <c>group.instance.id</c> when static membership is on.</summary>
    public ConsumerSettings Consumer(string groupId) => new(BootstrapServers, groupId)
    {
        Properties = _groupInstanceId is not null && groupId == GroupId
            ? new Dictionary<string, string>(Properties) { ["group.instance.id"] = _groupInstanceId }
            : Properties,
    };

    /// <summary>bootstrap.servers plus the configured properties, for admin and tool clients.</summary>
    public ClientConfig ClientConfig()
    {
        var config = new ClientConfig { BootstrapServers = BootstrapServers };
        foreach (var (k, v) in Properties) config.Set(k, v);
        return config;
    }

    public IAdminClient AdminClient() =>
        new AdminClientBuilder(new AdminClientConfig(ClientConfig().ToDictionary())).SetLogHandler((_, _) => { }).Build();

    public ProducerSettings Producer() => new(BootstrapServers) { Properties = Properties };

    /// <summary>Topics that the broker does not know (external Kafka: they must be provisioned or auto-created).</summary>
    public IReadOnlyList<string> MissingTopics(IEnumerable<string> topics, TimeSpan timeout)
    {
        using var admin = AdminClient();
        var metadata = admin.GetMetadata(timeout);
        var known = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0).Select(t => t.Topic).ToHashSet();
        return topics.Where(t => !known.Contains(t)).ToList();
    }

    public void Dispose() => _embedded?.Dispose();
}
