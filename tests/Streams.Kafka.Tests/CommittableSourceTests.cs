using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Streams.Actors.Kafka;
using Streams.Actors.Kafka.Internal;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class CommittableSourceTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private static readonly CommitterSettings FastCommits = new(MaxBatch: 20, MaxInterval: TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task Order_per_partition_is_preserved_end_to_end_through_source_and_committer()
    {
        const int partitions = 3, perPartition = 200;
        var topic = Unique("order");
        Fixture.Kafka.CreateTopic(topic, partitions);
        Produce(Bootstrap, topic, partitions, perPartition);
        var seen = new ConcurrentQueue<(int Partition, long Offset, string Value)>();

        var (control, committed) = KafkaSource.Committable(Consumer(Bootstrap, Unique("g")), Subscription.OfTopics(topic))
            .SelectAsync(8, async m =>
            {
                await Task.Delay(Random.Shared.Next(3)); // work finishing out of order
                return m;
            })
            .Select(m =>
            {
                seen.Enqueue((m.Record.Partition.Value, m.Record.Offset.Value, Text(m.Record.Message.Value)));
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);

        await Eventually(() => seen.Count >= partitions * perPartition, TimeSpan.FromSeconds(30), "all records");
        await control.StopAsync();
        await committed.WaitAsync(TimeSpan.FromSeconds(15));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(partitions * perPartition, seen.Count);
        foreach (var partition in seen.GroupBy(s => s.Partition))
        {
            Assert.Equal(Enumerable.Range(0, perPartition).Select(i => (long)i), partition.Select(s => s.Offset));
            Assert.Equal(Enumerable.Range(0, perPartition).Select(i => $"p{partition.Key}-{i}"), partition.Select(s => s.Value));
        }
    }

    [Fact]
    public async Task A_slow_consumer_keeps_the_buffer_bounded_and_still_consumes_everything()
    {
        const int maxBuffered = 20, records = 600;
        var topic = Unique("slow");
        Fixture.Kafka.CreateTopic(topic, 2);
        Produce(Bootstrap, topic, 2, records / 2);
        var consumed = 0;
        var group = Unique("g");

        var (control, committed) = KafkaSource.Committable(Consumer(Bootstrap, group, maxBuffered), Subscription.OfTopics(topic))
            .Throttle(600, TimeSpan.FromSeconds(1), 1, ThrottleMode.Shaping)
            .Select(m =>
            {
                Interlocked.Increment(ref consumed);
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);

        await Eventually(() => Volatile.Read(ref consumed) >= records, TimeSpan.FromSeconds(30), "all records");
        var buffer = ((ConsumerControl)control).Session!.Buffer;
        await control.StopAsync();
        await committed.WaitAsync(TimeSpan.FromSeconds(15));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Output.WriteLine($"max buffered: {buffer.MaxObservedCount}");
        Assert.Equal(records, consumed);
        Assert.InRange(buffer.MaxObservedCount, 1, maxBuffered + 10);
        Assert.Equal(new Dictionary<int, long> { [0] = records / 2, [1] = records / 2 }, Committed(Bootstrap, group, topic, 2));
    }

    [Fact]
    public async Task A_restart_resumes_at_the_first_unprocessed_offset_after_out_of_order_completion_with_a_gap()
    {
        var topic = Unique("restart");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, 1);
        Produce(Bootstrap, topic, 1, 10);
        long[] finished = [6, 5, 3, 2, 1, 0]; // out of order; 4 never finishes (the gap), nor 7..9
        var done = 0;

        var (first, firstCommits) = KafkaSource.Committable(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .Where(m => finished.Contains(m.Record.Offset.Value))
            .Grouped(finished.Length)
            .SelectMany(batch => batch.OrderBy(m => Array.IndexOf(finished, m.Record.Offset.Value)))
            .Select(m =>
            {
                Interlocked.Increment(ref done);
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);
        await Eventually(() => Volatile.Read(ref done) == finished.Length, TimeSpan.FromSeconds(20), "first run's work");
        await first.StopAsync();
        await firstCommits.WaitAsync(TimeSpan.FromSeconds(15));
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(4, Committed(Bootstrap, group, topic, 1)[0]);

        var resumed = new ConcurrentQueue<long>();
        var (second, secondCommits) = KafkaSource.Committable(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .Select(m =>
            {
                resumed.Enqueue(m.Record.Offset.Value);
                return m.Offset;
            })
            .Take(6)
            .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
            .Run(Materializer);
        await secondCommits.WaitAsync(TimeSpan.FromSeconds(20));
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal([4L, 5, 6, 7, 8, 9], resumed);
        Assert.Equal(10, Committed(Bootstrap, group, topic, 1)[0]);
    }

    [Fact]
    public async Task Two_consumers_in_one_group_rebalance_without_losing_a_record()
    {
        const int partitions = 4, perPartition = 150;
        var topic = Unique("rebalance");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, partitions);
        Produce(Bootstrap, topic, partitions, perPartition);
        var processed = new ConcurrentDictionary<(int, long), int>();
        var changes = new ConcurrentQueue<(string Consumer, AssignmentChange Change)>();

        (IConsumerControl Control, Task Commits) Run(string name)
        {
            var (control, commits) = KafkaSource.Committable(Consumer(Bootstrap, group, maxBuffered: 50), Subscription.OfTopics(topic))
                .SelectAsync(2, async m =>
                {
                    await Task.Delay(4);
                    processed.AddOrUpdate((m.Record.Partition.Value, m.Record.Offset.Value), 1, (_, n) => n + 1);
                    return m.Offset;
                })
                .ToMaterialized(KafkaCommitter.Sink(FastCommits), Keep.Both)
                .Run(Materializer);
            control.AssignmentChanged += c => changes.Enqueue((name, c));
            return (control, commits);
        }

        var a = Run("a");
        await Eventually(() => processed.Count >= 100, TimeSpan.FromSeconds(20), "a few records by the first consumer");
        var b = Run("b");
        await Eventually(() => processed.Count == partitions * perPartition, TimeSpan.FromSeconds(60), "every record");
        await Task.WhenAll(a.Control.StopAsync(), b.Control.StopAsync());
        await Task.WhenAll(a.Commits, b.Commits, a.Control.Completion, b.Control.Completion).WaitAsync(TimeSpan.FromSeconds(40));

        foreach (var (name, change) in changes)
            Output.WriteLine($"{name}: +[{string.Join(",", change.Assigned)}] -[{string.Join(",", change.Revoked)}]");
        Output.WriteLine($"duplicates: {processed.Values.Count(n => n > 1)}");
        Assert.Contains(changes, c => c.Consumer == "b" && c.Change.Assigned.Count > 0);
        Assert.Contains(changes, c => c.Consumer == "a" && c.Change.Revoked.Count > 0);
        for (var p = 0; p < partitions; p++)
            for (var o = 0; o < perPartition; o++)
                Assert.True(processed.ContainsKey((p, o)), $"record {p}/{o} never processed");
        Assert.All(Committed(Bootstrap, group, topic, partitions).Values, offset => Assert.Equal(perPartition, offset));
    }

    [Fact]
    public async Task StopAsync_lets_in_flight_work_finish_and_commits_it_before_Completion()
    {
        var topic = Unique("drain");
        var group = Unique("g");
        Fixture.Kafka.CreateTopic(topic, 2);
        Produce(Bootstrap, topic, 2, 100);
        var emitted = 0;
        var started = 0;
        var completed = new ConcurrentQueue<(int, long)>();
        // Only the final commit commits: the batch and interval are out of reach.
        var finalOnly = new CommitterSettings(MaxBatch: 100_000, MaxInterval: TimeSpan.FromMinutes(5));

        var (control, commits) = KafkaSource.Committable(Consumer(Bootstrap, group), Subscription.OfTopics(topic))
            .Select(m =>
            {
                Interlocked.Increment(ref emitted);
                return m;
            })
            .SelectAsync(8, async m =>
            {
                Interlocked.Increment(ref started);
                await Task.Delay(200);
                completed.Enqueue((m.Record.Partition.Value, m.Record.Offset.Value));
                return m.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(finalOnly), Keep.Both)
            .Run(Materializer);
        await Eventually(() => Volatile.Read(ref started) >= 8, TimeSpan.FromSeconds(20), "work in flight");

        await control.StopAsync();
        var completedAtStop = completed.Count;
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        var completedAtCompletion = completed.Count;
        await commits;

        Output.WriteLine($"emitted {emitted}, completed at stop {completedAtStop}, at completion {completedAtCompletion}");
        Assert.True(completedAtStop < completedAtCompletion, "nothing was in flight at stop");
        Assert.Equal(emitted, completedAtCompletion);
        var committed = Committed(Bootstrap, group, topic, 2);
        foreach (var partition in completed.GroupBy(c => c.Item1))
        {
            var offsets = partition.Select(c => c.Item2).Order().ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(i => (long)i), offsets);
            Assert.Equal(offsets.Count, committed[partition.Key]);
        }
    }

    [Fact]
    public async Task Lag_reports_records_not_yet_consumed_per_assigned_partition()
    {
        var topic = Unique("lag");
        Fixture.Kafka.CreateTopic(topic, 1);
        Produce(Bootstrap, topic, 1, 500);

        var (control, probe) = KafkaSource.Committable(Consumer(Bootstrap, Unique("g"), maxBuffered: 10), Subscription.OfTopics(topic))
            .ToMaterialized(this.SinkProbe<CommittableMessage>(), Keep.Both)
            .Run(Materializer);
        probe.EnsureSubscription(); // and no demand: the source fills its buffer and pauses

        await Eventually(() => control.Lag().Count == 1, TimeSpan.FromSeconds(20), "lag of the assigned partition");
        var lag = control.Lag().Single();
        Assert.Equal(topic, lag.Key.Topic);
        Assert.InRange(lag.Value, 400, 500);
        Assert.Single(control.Assignment);
        await control.StopAsync();
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(control.Assignment);
    }
}
