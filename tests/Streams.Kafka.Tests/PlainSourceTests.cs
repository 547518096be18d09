using System.Collections.Concurrent;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class PlainSourceTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private ConsumerSettings NoGroup(bool eof = true) => Consumer(Bootstrap, "unused") with { EnablePartitionEof = eof };

    [Fact]
    public async Task From_beginning_reads_every_partition_and_marks_the_end_of_each()
    {
        const int partitions = 3, perPartition = 10;
        var topic = Unique("registry");
        Fixture.Kafka.CreateTopic(topic, partitions);
        Produce(Bootstrap, topic, partitions, perPartition);
        var records = new ConcurrentQueue<ConsumeResult<byte[]?, byte[]?>>();
        var eofs = new ConcurrentDictionary<int, long>();

        var (control, done) = KafkaSource.Plain(NoGroup(), Subscription.FromBeginning(topic))
            .ToMaterialized(Sink.ForEach<ConsumeResult<byte[]?, byte[]?>>(r =>
            {
                if (r.IsPartitionEOF) eofs[r.Partition.Value] = r.Offset.Value;
                else records.Enqueue(r);
            }), Keep.Both)
            .Run(Materializer);

        await Eventually(() => eofs.Count == partitions, TimeSpan.FromSeconds(20), "end of every partition");
        Assert.Equal(partitions * perPartition, records.Count);
        Assert.All(eofs.Values, offset => Assert.Equal(perPartition, offset));
        Assert.Equal(partitions, control.Assignment.Count);

        await control.StopAsync();
        await done.WaitAsync(TimeSpan.FromSeconds(10));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task From_beginning_waits_for_a_topic_that_does_not_exist_yet()
    {
        var topic = Unique("later");
        var first = KafkaSource.Plain(NoGroup(eof: false), Subscription.FromBeginning(topic))
            .ToMaterialized(Sink.First<ConsumeResult<byte[]?, byte[]?>>(), Keep.Both)
            .Run(Materializer);

        await Task.Delay(1500);
        Assert.False(first.Item2.IsCompleted);
        Fixture.Kafka.CreateTopic(topic, 2);
        Produce(Bootstrap, topic, 2, 1);

        var record = await first.Item2.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("p", Text(record.Message.Value));
        await first.Item1.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_plain_group_source_reads_without_committing()
    {
        var topic = Unique("plain");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, 1);
        Produce(Bootstrap, topic, 1, 5);

        var (control, records) = KafkaSource.Plain(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .Take(5)
            .ToMaterialized(Sink.Seq<ConsumeResult<byte[]?, byte[]?>>(), Keep.Both)
            .Run(Materializer);

        Assert.Equal(5, (await records.WaitAsync(TimeSpan.FromSeconds(20))).Count);
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(Committed(Bootstrap, group, topic, 1)[0] < 0, "a plain source committed");
    }

    [Fact]
    public async Task A_source_stopped_before_it_runs_completes_without_creating_a_consumer()
    {
        var (control, records) = KafkaSource.Plain(NoGroup(), Subscription.FromBeginning(Unique("never")))
            .PreMaterialize(Materializer);
        var stopped = control.StopAsync();

        var result = await records.RunWith(Sink.Seq<ConsumeResult<byte[]?, byte[]?>>(), Materializer).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(result);
        await stopped.WaitAsync(TimeSpan.FromSeconds(10));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
