using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Streams.Actors.Kafka.Internal;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

/// <summary>
/// Large records. The embedded (mock) broker keeps at most 5 MiB per partition and loses the record appended after
/// one of that size, so a 5 MB record is produced while the source is tailing, and nothing follows it in its partition.
/// </summary>
public sealed class LargeRecordTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private static readonly CommitterSettings FastCommits = new(MaxBatch: 1, MaxInterval: TimeSpan.FromMilliseconds(100));

    private IProducer<byte[]?, byte[]?> LargeProducer() => new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = Bootstrap, Acks = Acks.All, EnableIdempotence = true, MessageMaxBytes = 20 * 1024 * 1024,
    }).Build();

    [Fact]
    public async Task A_committable_source_with_the_hosts_settings_delivers_a_5_MB_record_and_commits_it()
    {
        const int size = 5 * 1024 * 1024;
        var topic = Unique("large");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, 2);
        var seen = new ConcurrentQueue<(int Partition, int Length)>();
        var (control, committed) = KafkaSource.Committable(Consumer(Bootstrap, group, maxBuffered: 4000), Subscription.OfTopics(topic))
            .Select(m =>
            {
                seen.Enqueue((m.Record.Partition.Value, m.Record.Message.Value?.Length ?? 0));
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);
        await Eventually(() => control.Assignment.Count == 2, TimeSpan.FromSeconds(30), "partitions assigned");

        using (var producer = LargeProducer())
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[]?, byte[]?> { Key = Bytes("big"), Value = new byte[size] });
            await producer.ProduceAsync(new TopicPartition(topic, 1), new Message<byte[]?, byte[]?> { Key = Bytes("small"), Value = Bytes("after") });
        }

        await Eventually(() => seen.Count >= 2, TimeSpan.FromSeconds(30), "both records");
        await Eventually(() => Committed(Bootstrap, group, topic, 2)[0] == 1, TimeSpan.FromSeconds(30), "the large record committed");
        await control.StopAsync();
        await committed.WaitAsync(TimeSpan.FromSeconds(15));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal([(0, size), (1, 5)], seen.OrderBy(s => s.Partition).ToArray());
    }

    [Fact]
    public async Task The_source_buffer_is_bounded_in_bytes_as_well_as_in_records()
    {
        const int recordSize = 200 * 1024, perPartition = 10, partitions = 4;
        const long maxBytes = 1024 * 1024;
        var topic = Unique("bytes");
        Fixture.Kafka.CreateTopic(topic, partitions);
        using (var producer = LargeProducer())
        {
            for (var p = 0; p < partitions; p++)
                for (var i = 0; i < perPartition; i++)
                    await producer.ProduceAsync(new TopicPartition(topic, p), new Message<byte[]?, byte[]?> { Value = new byte[recordSize] });
        }
        var consumed = 0;
        var settings = Consumer(Bootstrap, Unique("g"), maxBuffered: 1000) with { MaxBufferedBytes = maxBytes };

        var (control, committed) = KafkaSource.Committable(settings, Subscription.OfTopics(topic))
            .Throttle(20, TimeSpan.FromSeconds(1), 1, ThrottleMode.Shaping)
            .Select(m =>
            {
                Interlocked.Increment(ref consumed);
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);

        await Eventually(() => Volatile.Read(ref consumed) >= partitions * perPartition, TimeSpan.FromSeconds(60), "all records");
        var buffer = ((ConsumerControl)control).Session!.Buffer;
        await control.StopAsync();
        await committed.WaitAsync(TimeSpan.FromSeconds(15));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Output.WriteLine($"max buffered: {buffer.MaxObservedCount} records, {buffer.MaxObservedBytes} bytes");
        Assert.InRange(buffer.MaxObservedBytes, recordSize, maxBytes + recordSize);
    }
}
