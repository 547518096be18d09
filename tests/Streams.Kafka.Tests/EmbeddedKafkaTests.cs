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

    [Fact]
    public async Task Records_deleted_before_an_offset_are_gone_and_a_consumer_from_the_beginning_starts_there()
    {
        var topic = Unique("trim");
        fixture.Kafka.CreateTopic(topic, 1);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = Bootstrap, LingerMs = 0 }).Build())
            for (var i = 0; i < 10; i++)
                await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = Bytes($"r{i}") });

        fixture.Kafka.DeleteRecordsBefore(topic, 0, 6);

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Bootstrap, GroupId = Unique("g"), EnablePartitionEof = true,
        }).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(6, watermarks.Low.Value);
        Assert.Equal(10, watermarks.High.Value);
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        while (consumer.Consume(TimeSpan.FromSeconds(15)) is { IsPartitionEOF: false } r) values.Add(Text(r.Message.Value));
        Assert.Equal(["r6", "r7", "r8", "r9"], values);
    }

    [Fact]
    public void Deleting_past_a_partitions_end_is_refused_with_the_brokers_error()
    {
        var topic = Unique("trim-past");
        fixture.Kafka.CreateTopic(topic, 1);

        var e = Assert.Throws<KafkaException>(() => fixture.Kafka.DeleteRecordsBefore(topic, 0, 5));
        Assert.Equal(ErrorCode.OffsetOutOfRange, e.Error.Code);
    }
}
