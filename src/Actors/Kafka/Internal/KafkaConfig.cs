using Akka.Event;

namespace Streams.Actors.Kafka.Internal;

/// <summary>Settings → librdkafka configuration, and redaction of secrets for logs.</summary>
internal static class KafkaConfig
{
    private static readonly string[] SecretMarkers = ["password", "secret", "sasl.jaas"];

    /// <summary>
    /// bootstrap.servers, group.id, our defaults, then every Properties entry verbatim. enable.auto.commit and
    /// enable.auto.offset.store stay false whatever Properties say: commits are what the committer decides.
    /// </summary>
    public static Dictionary<string, string> Consumer(ConsumerSettings s, bool withGroup, ILoggingAdapter log)
    {
        var config = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = s.BootstrapServers,
            ["enable.auto.commit"] = "false",
            ["enable.auto.offset.store"] = "false",
            ["auto.offset.reset"] = "earliest",
            // Incremental rebalances: a member joining or leaving moves only the partitions that change owner,
            // the others keep flowing (no stop-the-world revoke of in-flight work on every rebalance).
            ["partition.assignment.strategy"] = "cooperative-sticky",
            ["enable.partition.eof"] = s.EnablePartitionEof ? "true" : "false",
            // Broker connection states for IConsumerControl.BrokerProblem (ConsumerSession.OnStatistics).
            ["statistics.interval.ms"] = "1000",
            // A fetch that finds no new record waits this long on the broker. librdkafka's 500 ms became the floor of
            // the alert latency on the embedded broker, which answers a waiting fetch only when the wait ends; a
            // real broker answers as soon as a record arrives. 20 idle fetches per second per broker are nothing.
            ["fetch.wait.max.ms"] = "50",
        };
        // Confluent.Kafka insists on a group.id even for assign()-only consumers; without subscribe() and commits
        // no group is ever joined or written.
        config["group.id"] = withGroup || !string.IsNullOrWhiteSpace(s.GroupId) ? s.GroupId : $"streams-unused-{Guid.NewGuid():N}";
        foreach (var (key, value) in s.Properties) config[key] = value;
        Enforce(config, "enable.auto.commit", "false", log);
        Enforce(config, "enable.auto.offset.store", "false", log);
        return config;
    }

    /// <summary>bootstrap.servers, our defaults, Properties verbatim; idempotence and acks=all are enforced.</summary>
    public static Dictionary<string, string> Producer(ProducerSettings s, ILoggingAdapter log)
    {
        var config = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = s.BootstrapServers,
            ["enable.idempotence"] = "true",
            ["acks"] = "all",
            ["message.timeout.ms"] = "300000",
            ["linger.ms"] = "5",
        };
        foreach (var (key, value) in s.Properties) config[key] = value;
        Enforce(config, "enable.idempotence", "true", log);
        Enforce(config, "acks", "all", log);
        return config;
    }

    public static bool IsSecret(string key) =>
        SecretMarkers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>"key=value, ..." with the values of secret keys replaced by "***".</summary>
    public static string Describe(IEnumerable<KeyValuePair<string, string>> config) =>
        string.Join(", ", config.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={(IsSecret(kv.Key) ? "***" : kv.Value)}"));

    private static void Enforce(Dictionary<string, string> config, string key, string value, ILoggingAdapter log)
    {
        if (config.TryGetValue(key, out var given) && !string.Equals(given, value, StringComparison.OrdinalIgnoreCase))
            log.Warning("Kafka property {0}={1} ignored: this stage requires {0}={2}", key, given, value);
        config[key] = value;
    }
}
