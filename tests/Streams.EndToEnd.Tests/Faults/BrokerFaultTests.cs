using Confluent.Kafka;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Faults;

/// <summary>
/// Broker faults injected through the embedded cluster's API while the host (a child process) works through a
/// scenario with known expected alerts. In every case: no crash, nothing lost, per subject in order.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrokerFaultTests(ITestOutputHelper output) : FaultFixture(output)
{
    private const int Broker = 1;

    [Fact]
    public async Task Brokers_down_for_20_seconds_mid_stream_make_the_host_not_ready_with_a_reason_and_it_resumes_by_itself_losing_nothing()
    {
        ProduceAll();
        await using var host = StartHost();
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        await WaitUntilApplied(host, 300, TimeSpan.FromSeconds(30));

        Kafka.Cluster.SetBrokerDown(Broker);
        var downAt = DateTime.UtcNow;
        Log($"broker down with {await Applied(host)} readings applied");
        var unmet = "";
        await host.Eventually(async () =>
        {
            (var ready, unmet) = await Ready(host);
            return !ready && unmet.Contains("kafka", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "not ready because of Kafka");
        Log($"not ready after {(DateTime.UtcNow - downAt).TotalSeconds:0.0} s: {unmet}");
        while (DateTime.UtcNow - downAt < TimeSpan.FromSeconds(20))
        {
            Assert.False(host.HasExited, "host exited while the broker was down\n" + host.Tail());
            Assert.True((await host.Http.GetAsync("/healthz/live")).IsSuccessStatusCode, "live while the broker is down");
            await Task.Delay(1000);
        }
        Assert.False((await Ready(host)).Ready, "still not ready at the end of the outage");

        Kafka.Cluster.SetBrokerUp(Broker);
        var upAt = DateTime.UtcNow;
        await host.WaitUntilReady(TimeSpan.FromSeconds(30));
        Log($"ready again {(DateTime.UtcNow - upAt).TotalSeconds:0.0} s after the broker came back");
        await AssertNothingLost(host, TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task Retriable_errors_on_produce_and_on_offset_commit_reach_the_host_which_retries_them_losing_nothing_and_crashing_nothing()
    {
        const short produce = 0, offsetCommit = 8;
        // Half the readings now, half after the second push of errors, so that the host has work (alerts, aggregates,
        // commits) left when the second errors are waiting, however fast it got through the first half.
        var half = Scenario.Readings.Count / 2;
        Crash.KafkaIo.Produce(Kafka.Bootstrap, Scenario.Registry.Concat(Scenario.Readings.Take(half)));
        await using var host = StartHost();
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));

        // The next requests of these APIs, whoever sends them (only the host does from here on), fail retriably.
        // The cluster records every request from now on: each injected error is the answer to one request, so more
        // requests than errors mean that every error reached the host and was followed by another attempt.
        ErrorCode[] produceErrors = [ErrorCode.NotEnoughReplicas, ErrorCode.LeaderNotAvailable, ErrorCode.NotLeaderForPartition,
            ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas];
        ErrorCode[] commitErrors = [ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupLoadInProgress,
            ErrorCode.RequestTimedOut, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup];
        Kafka.Cluster.StartRequestTracking();
        Kafka.Cluster.PushRequestErrors(produce, produceErrors);
        Kafka.Cluster.PushRequestErrors(offsetCommit, commitErrors);
        await WaitUntilApplied(host, half, TimeSpan.FromSeconds(60));
        // Errors still waiting from the first push, plus the second push: the requests after it must outnumber them.
        var (produceBefore, commitBefore) = (Kafka.Cluster.TrackedRequests(produce), Kafka.Cluster.TrackedRequests(offsetCommit));
        var produceWaiting = Math.Max(0, produceErrors.Length - produceBefore) + produceErrors.Length;
        var commitWaiting = Math.Max(0, commitErrors.Length - commitBefore) + commitErrors.Length;
        Kafka.Cluster.PushRequestErrors(produce, produceErrors);
        Kafka.Cluster.PushRequestErrors(offsetCommit, commitErrors);
        var appliedAtSecondPush = await Applied(host);
        Crash.KafkaIo.Produce(Kafka.Bootstrap, Scenario.Readings.Skip(half));
        Log($"pushed {2 * produceErrors.Length} produce and {2 * commitErrors.Length} offset-commit errors, the second half with {appliedAtSecondPush} of {Scenario.Readings.Count} readings applied");

        await AssertNothingLost(host, TimeSpan.FromSeconds(60));
        var produceRequests = Kafka.Cluster.TrackedRequests(produce) - produceBefore;
        var commitRequests = Kafka.Cluster.TrackedRequests(offsetCommit) - commitBefore;
        var commitFailures = host.Output.Count(l => l.Contains("Kafka commit", StringComparison.Ordinal) && l.Contains("failed (will retry)", StringComparison.Ordinal));
        Log($"after the second push {produceWaiting} produce and {commitWaiting} offset-commit errors were waiting; the host then sent {produceRequests} produce "
            + $"and {commitRequests} offset-commit requests; commit failures it logged and retried: {commitFailures} (librdkafka retries the others itself)");
        // More requests than waiting errors: the last error was followed by a retry; nothing lost above says the retries succeeded.
        Assert.True(produceRequests > produceWaiting, $"only {produceRequests} produce requests for {produceWaiting} waiting errors: not every error reached the host");
        Assert.True(commitRequests > commitWaiting, $"only {commitRequests} offset-commit requests for {commitWaiting} waiting errors: not every error reached the host");
        Assert.True(commitFailures > 0, "at least one commit failure reached the committer, which logs it and commits again");
    }

    [Fact]
    public async Task A_consumer_group_rebalance_mid_stream_loses_nothing()
    {
        ProduceAll();
        await using var host = StartHost();
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        await WaitUntilApplied(host, 300, TimeSpan.FromSeconds(30));

        // A plain member of the host's group takes some partitions for a few seconds, commits nothing, and leaves:
        // what it read is the host's to read again from the last committed offsets.
        var config = new ConsumerConfig
        {
            BootstrapServers = Kafka.Bootstrap,
            GroupId = "streams",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            // Should the mock coordinator miss its LeaveGroup, the member expires quickly instead of stalling the group.
            SessionTimeoutMs = 6000,
        };
        var assigned = new List<TopicPartition>();
        var taken = 0;
        using (var intruder = new ConsumerBuilder<byte[]?, byte[]?>(config)
                   .SetLogHandler((_, _) => { })
                   .SetPartitionsAssignedHandler((_, ps) => { lock (assigned) assigned.AddRange(ps); })
                   .Build())
        {
            intruder.Subscribe(TestKafka.ReadingTopics);
            // Joining takes a rebalance round (the host rejoins on its next heartbeat); then hold on for 3 s.
            var joinBy = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            DateTime? leaveAt = null;
            while (leaveAt is null ? DateTime.UtcNow < joinBy : DateTime.UtcNow < leaveAt)
            {
                if (intruder.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false }) taken++;
                lock (assigned) if (leaveAt is null && assigned.Count > 0) leaveAt = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            }
            intruder.Close();
        }
        Log($"extra group member held {assigned.Count} partition(s) and read {taken} record(s) without committing, then left");
        Assert.NotEmpty(assigned);

        await AssertNothingLost(host, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_host_started_while_the_broker_is_down_is_not_ready_with_a_reason_and_starts_working_once_it_is_up()
    {
        ProduceAll();
        Kafka.Cluster.SetBrokerDown(Broker);
        await using var host = StartHost();
        var unmet = "";
        await host.Eventually(async () =>
        {
            (var ready, unmet) = await Ready(host);
            return !ready && unmet.Contains("not reachable", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(40), "not ready because Kafka is not reachable");
        Log($"not ready: {unmet}");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(host.HasExited, "host exited while the broker was down\n" + host.Tail());
        Assert.False((await Ready(host)).Ready);

        Kafka.Cluster.SetBrokerUp(Broker);
        var upAt = DateTime.UtcNow;
        await host.WaitUntilReady(TimeSpan.FromSeconds(45));
        Log($"ready {(DateTime.UtcNow - upAt).TotalSeconds:0.0} s after the broker came up");
        await AssertNothingLost(host, TimeSpan.FromSeconds(45));
    }
}
