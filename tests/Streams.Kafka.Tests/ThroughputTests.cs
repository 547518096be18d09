using System.Diagnostics;
using Akka.Streams.Dsl;
using Streams.Actors.Kafka;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

/// <summary>A smoke-sized end-to-end run that reports rates (not a benchmark: loopback mock broker, 2 cores, debug build).</summary>
public sealed class ThroughputTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    [Fact]
    public async Task Twenty_thousand_records_go_through_producer_then_source_and_committer()
    {
        const int records = 20_000, partitions = 4;
        var topic = Unique("throughput");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, partitions);
        var payload = new byte[200];

        var produce = Stopwatch.StartNew();
        var produced = await Source.From(Enumerable.Range(0, records / 10))
            .Select(i => new ProducerEnvelope<int>(
                Enumerable.Range(0, 10).Select(j => new ProducerRecord(topic, Bytes($"k{(i * 10 + j) % 64}"), payload)).ToList(), i))
            .Via(KafkaProducer.Flow<int>(new ProducerSettings(Bootstrap)))
            .RunWith(Sink.Aggregate<int, int>(0, (n, _) => n + 1), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(60));
        produce.Stop();
        Assert.Equal(records / 10, produced);

        var consumed = 0;
        var consume = Stopwatch.StartNew();
        var (control, commits) = KafkaSource.Committable(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .Select(m =>
            {
                Interlocked.Increment(ref consumed);
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(new CommitterSettings()), Keep.Both)
            .Run(Materializer);
        await Eventually(() => Volatile.Read(ref consumed) >= records, TimeSpan.FromSeconds(60), "every record");
        consume.Stop();
        await control.StopAsync();
        await commits.WaitAsync(TimeSpan.FromSeconds(15));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Output.WriteLine($"produced {records} records in {produce.ElapsedMilliseconds} ms ({records * 1000L / Math.Max(1, produce.ElapsedMilliseconds)}/s); " +
                         $"consumed+committed in {consume.ElapsedMilliseconds} ms ({records * 1000L / Math.Max(1, consume.ElapsedMilliseconds)}/s)");
        Assert.Equal(records, Committed(Bootstrap, group, topic, partitions).Values.Sum());
    }
}
