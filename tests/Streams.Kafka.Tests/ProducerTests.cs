using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class ProducerTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    [Fact]
    public async Task Pass_throughs_come_out_in_envelope_order_once_their_records_arrived_with_headers()
    {
        var topic = Unique("produce");
        Fixture.Kafka.CreateTopic(topic, 3);
        var envelopes = Enumerable.Range(0, 300).Select(i => new ProducerEnvelope<int>(
            Enumerable.Range(0, i % 4).Select(j => new ProducerRecord(topic, Bytes($"k{i}"), Bytes($"{i}.{j}"))
            {
                Headers = [new("source", Bytes("test")), new("n", Bytes(j.ToString()))],
            }).ToList(), i)).ToList();

        var passThroughs = await Source.From(envelopes)
            .Via(KafkaProducer.Flow<int>(new ProducerSettings(Bootstrap) { Parallelism = 16 }))
            .RunWith(Sink.Seq<int>(), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 300), passThroughs);
        var expected = envelopes.Sum(e => e.Records.Count);
        var records = ReadAll(Bootstrap, topic, expected);
        Assert.Equal(expected, records.Count);
        Assert.All(records, r => Assert.Equal("test", Text(r.Message.Headers.GetLastBytes("source"))));
        // per key (same partition), records arrive in produce order
        foreach (var byKey in records.GroupBy(r => Text(r.Message.Key)))
            Assert.Equal(byKey.Select(r => Text(r.Message.Value)).Order(StringComparer.Ordinal), byKey.Select(r => Text(r.Message.Value)));
    }

    [Fact]
    public async Task Envelopes_without_records_pass_straight_through()
    {
        var passThroughs = await Source.From(Enumerable.Range(0, 50))
            .Select(i => new ProducerEnvelope<int>([], i))
            .Via(KafkaProducer.Flow<int>(new ProducerSettings(Bootstrap)))
            .RunWith(Sink.Seq<int>(), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 50), passThroughs);
    }

    [Fact]
    public async Task A_failed_delivery_fails_the_stage_with_the_delivery_error()
    {
        using var kafka = EmbeddedKafka.Start();
        var topic = Unique("down");
        kafka.CreateTopic(topic, 1);
        kafka.SetBrokerDown(1);
        var settings = new ProducerSettings(kafka.BootstrapServers)
        {
            Properties = new Dictionary<string, string> { ["message.timeout.ms"] = "1500" },
        };

        var run = Source.Single(new ProducerEnvelope<string>([new ProducerRecord(topic, null, Bytes("lost"))], "x"))
            .Via(KafkaProducer.Flow<string>(settings))
            .RunWith(Sink.Seq<string>(), Materializer);

        var error = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(ErrorCode.Local_MsgTimedOut, error.Error.Code);
    }
}
