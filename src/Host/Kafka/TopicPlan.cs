using Streams.Host.Configuration;

namespace Streams.Host.Kafka;

/// <summary>
/// <c>Streams:Kafka</c> keys for provisioning contract topics (bound next to <see cref="KafkaOptions"/>):
/// whether to create missing ones at start, how many partitions and replicas, and extra per-topic configs.
/// </summary>
public sealed class TopicProvisioningOptions
{
    /// <summary>Create missing contract topics at start (external Kafka; needs the right to create topics).</summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>Partitions of registry, alerts, aggregates and dead letters (readings: <see cref="KafkaOptions.ReadingPartitions"/>).</summary>
    public int OutputPartitions { get; set; } = 4;

    /// <summary>-1: the broker's default.replication.factor.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Extra configs per topic name, e.g. <c>Streams:Kafka:TopicConfigs:streams.alerts:retention.ms=604800000</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> TopicConfigs { get; set; } = new();

    public static TopicProvisioningOptions From(IConfiguration configuration) =>
        configuration.GetSection("Streams:Kafka").Get<TopicProvisioningOptions>() ?? new TopicProvisioningOptions();
}

public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor, IReadOnlyDictionary<string, string> Configs);

/// <summary>The contract's topics as this node wants them: registry and aggregates compacted (they hold latest values).</summary>
public static class TopicPlan
{
    public const string Compact = "compact";

    public static IReadOnlyList<TopicSpec> For(StreamsOptions options, TopicProvisioningOptions provisioning)
    {
        var t = options.Topics;
        TopicSpec Spec(string name, int partitions, string? cleanupPolicy)
        {
            var configs = new Dictionary<string, string>();
            if (cleanupPolicy is not null) configs["cleanup.policy"] = cleanupPolicy;
            if (provisioning.TopicConfigs.TryGetValue(name, out var extra))
                foreach (var (k, v) in extra) configs[k] = v;
            return new TopicSpec(name, partitions, provisioning.ReplicationFactor, configs);
        }
        var readings = options.Kafka.ReadingPartitions;
        var outputs = provisioning.OutputPartitions;
        return
        [
            Spec(t.Registry, outputs, Compact),
            Spec(t.Pegel, readings, null),
            Spec(t.Parking, readings, null),
            Spec(t.Bus, readings, null),
            Spec(t.Alerts, outputs, null),
            Spec(t.Aggregates, outputs, Compact),
            Spec(t.DeadLetter, outputs, null),
        ];
    }
}
