using System.Collections.Concurrent;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class LargeRecordTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private void ProduceLargeThenSmall(string topic, int size)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = Bootstrap, Acks = Acks.All, EnableIdempotence = true, MessageMaxBytes = 20 * 1024 * 1024,
        }).Build();
        producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = Bytes("big"), Value = new byte[size] }).GetAwaiter().GetResult();
        producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = Bytes("small"), Value = Bytes("after") }).GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(5 * 1024 * 1024)]
    public async Task Committable_source_reads_a_large_record_and_the_one_after_it(int size)
    {
        var topic = Unique("large");
        Fixture.Kafka.CreateTopic(topic, 1);
        ProduceLargeThenSmall(topic, size);
        var seen = new ConcurrentQueue<(string Key, int Length)>();
        var settings = Consumer(Bootstrap, Unique("g")); settings = settings with { Properties = new Dictionary<string, string>(settings.Properties) { ["debug"] = "fetch,msg,protocol" } };
        var (control, done) = KafkaSource.Committable(settings, Subscription.OfTopics(topic))
            .Select(m => { seen.Enqueue((Text(m.Record.Message.Key), m.Record.Message.Value?.Length ?? 0)); return m.Offset; })
            .ToMaterialized(KafkaCommitter.Sink(new CommitterSettings(1, TimeSpan.FromMilliseconds(100))), Akka.Streams.Dsl.Keep.Both)
            .Run(Materializer);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(100);
        await control.StopAsync();
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([("big", size), ("small", 5)], seen.ToArray());
    }
}
