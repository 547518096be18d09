using Confluent.Kafka;
using Streams.Actors.Kafka;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class EmbeddedKafkaTests(KafkaFixture fixture) : IClassFixture<KafkaFixture>
{
    private string Bootstrap => fixture.BootstrapServers;

    [Fact]
    public void Bootstrap_servers_are_loopback_addresses()
    {
        Assert.All(Bootstrap.Split(','), b => Assert.StartsWith("127.0.0.1:", b));
    }

    [Fact]
    public void Topic_created_with_N_partitions_is_visible_in_metadata_from_a_separate_client()
    {
        var topic = Unique("meta");
        fixture.Kafka.CreateTopic(topic, 5);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();
        var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();

        Assert.False(meta.Error.IsError, meta.Error.Reason);
        Assert.Equal(5, meta.Partitions.Count);
    }

    [Fact]
    public async Task Produced_records_are_consumed_back_with_key_value_and_headers()
    {
        var topic = Unique("roundtrip");
        fixture.Kafka.CreateTopic(topic, 1);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = Bootstrap }).Build())
        {
            var report = await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?>
            {
                Key = Bytes("k"), Value = Bytes("v"), Headers = new Headers { { "h", Bytes("x") } },
            });
            Assert.Equal(PersistenceStatus.Persisted, report.Status);
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Bootstrap, GroupId = Unique("g"), AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var result = consumer.Consume(TimeSpan.FromSeconds(15));

        Assert.NotNull(result);
        Assert.Equal("k", Text(result.Message.Key));
        Assert.Equal("v", Text(result.Message.Value));
        Assert.Equal("x", Text(result.Message.Headers.GetLastBytes("h")));
        consumer.Close();
    }

    [Fact]
    public async Task A_broker_set_down_takes_no_records_until_it_is_set_up_again()
    {
        using var kafka = EmbeddedKafka.Start();
        var topic = Unique("downup");
        kafka.CreateTopic(topic, 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers, MessageTimeoutMs = 30_000, EnableIdempotence = true,
        }).Build();
        await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = Bytes("warm-up") });

        kafka.SetBrokerDown(1);
        var delivery = producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = Bytes("while down") });
        var first = await Task.WhenAny(delivery, Task.Delay(1500));
        Assert.NotSame(delivery, first);

        kafka.SetBrokerUp(1);
        var report = await delivery.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }

    [Fact]
    public async Task Pushed_request_errors_are_retried_by_the_idempotent_producer()
    {
        var topic = Unique("errors");
        fixture.Kafka.CreateTopic(topic, 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = Bootstrap, EnableIdempotence = true, RetryBackoffMs = 10,
        }).Build();
        await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = Bytes("warm-up") });

        const short produceApiKey = 0;
        fixture.Kafka.PushRequestErrors(produceApiKey, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var report = await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = Bytes("retried") });

        Assert.Equal(PersistenceStatus.Persisted, report.Status);
        Assert.Equal(1, report.Offset.Value);
    }
}
