using Akka.Event;
using Streams.Actors.Kafka;
using Streams.Actors.Kafka.Internal;

namespace Streams.Kafka.Tests;

public sealed class KafkaConfigTests
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["security.protocol"] = "SASL_SSL",
        ["sasl.password"] = "S3CRET-1",
        ["ssl.key.password"] = "S3CRET-2",
        ["sasl.jaas.config"] = "org.apache.kafka... password=\"S3CRET-3\"",
        ["sasl.oauthbearer.client.secret"] = "S3CRET-4",
    };

    [Fact]
    public void Consumer_config_has_bootstrap_group_our_defaults_then_properties_verbatim()
    {
        var settings = new ConsumerSettings("b:9092", "grp")
        {
            Properties = new Dictionary<string, string>(Secrets) { ["auto.offset.reset"] = "latest" },
        };

        var config = KafkaConfig.Consumer(settings, withGroup: true, NoLogger.Instance);

        Assert.Equal("b:9092", config["bootstrap.servers"]);
        Assert.Equal("grp", config["group.id"]);
        Assert.Equal("false", config["enable.auto.commit"]);
        Assert.Equal("false", config["enable.auto.offset.store"]);
        Assert.Equal("latest", config["auto.offset.reset"]);
        Assert.Equal("S3CRET-1", config["sasl.password"]);
    }

    [Fact]
    public void Auto_commit_and_idempotence_cannot_be_switched_off_through_properties()
    {
        var consumer = KafkaConfig.Consumer(new ConsumerSettings("b", "g")
        {
            Properties = new Dictionary<string, string> { ["enable.auto.commit"] = "true" },
        }, withGroup: true, NoLogger.Instance);
        var producer = KafkaConfig.Producer(new ProducerSettings("b")
        {
            Properties = new Dictionary<string, string> { ["enable.idempotence"] = "false", ["acks"] = "1", ["linger.ms"] = "50" },
        }, NoLogger.Instance);

        Assert.Equal("false", consumer["enable.auto.commit"]);
        Assert.Equal("true", producer["enable.idempotence"]);
        Assert.Equal("all", producer["acks"]);
        Assert.Equal("50", producer["linger.ms"]);
    }

    [Fact]
    public void Logged_config_never_shows_passwords_secrets_or_jaas_config()
    {
        var config = KafkaConfig.Producer(new ProducerSettings("b:9092") { Properties = Secrets }, NoLogger.Instance);

        var logged = KafkaConfig.Describe(config);

        Assert.Contains("security.protocol=SASL_SSL", logged);
        Assert.Contains("sasl.password=***", logged);
        Assert.DoesNotContain("S3CRET", logged);
    }
}
