using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

/// <summary>Commits that fail retriably are tried again even when no new work arrives (an idle stream).</summary>
public sealed class CommitterRetryTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private const short OffsetCommit = 8;

    [Fact]
    public async Task Offsets_whose_commit_failed_during_a_rebalance_are_committed_later_without_any_new_record()
    {
        const int partitions = 2, perPartition = 50;
        var topic = Unique("retry");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, partitions);
        Produce(Bootstrap, topic, partitions, perPartition);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumed = 0;

        var (control, _) = KafkaSource.Committable(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .SelectAsync(partitions * perPartition, async m =>
            {
                Interlocked.Increment(ref consumed);
                await gate.Task; // all work finishes at once, after the commit errors are armed
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(new CommitterSettings(MaxBatch: 1000, MaxInterval: TimeSpan.FromMilliseconds(100))), Keep.Both)
            .Run(Materializer);
        await Eventually(() => Volatile.Read(ref consumed) == partitions * perPartition, TimeSpan.FromSeconds(30), "every record consumed");

        // The next commits fail as they do while the group rebalances; nothing new will arrive after this.
        Fixture.Kafka.PushRequestErrors(OffsetCommit, ErrorCode.RebalanceInProgress, ErrorCode.RebalanceInProgress, ErrorCode.RebalanceInProgress);
        gate.SetResult();

        await Eventually(() => Committed(Bootstrap, group, topic, partitions).Values.All(o => o == perPartition),
            TimeSpan.FromSeconds(20), "every offset committed despite the failed commits");
        await control.StopAsync();
    }
}
