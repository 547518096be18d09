using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Host.Ingestion;
using Streams.Host.Status;

namespace Streams.EndToEnd.Tests.SelfHealing;

/// <summary>The supervision of one stream, in process with fake materializations (no Kafka, no host).</summary>
public sealed class StreamSupervisorTests
{
    private static readonly SupervisionSettings Fast = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(40),
        StableAfter = TimeSpan.FromMinutes(10), MaxFailuresInARow = 3, CloseTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly Readiness _readiness = new();
    private readonly Liveness _liveness = new();
    private readonly PipelineMetrics _metrics = new();

    private StreamSupervisor Supervisor(SupervisionSettings settings) =>
        new("readings", "consumer", settings, _readiness, _liveness, _metrics, NullLogger.Instance);

    [Fact]
    public async Task A_failed_stream_is_started_again_counted_and_readiness_says_why_meanwhile()
    {
        var starts = 0;
        var third = new TaskCompletionSource();
        string? reasonWhileRestarting = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = Supervisor(Fast with { MinBackoff = TimeSpan.FromMilliseconds(200) }).RunAsync(() =>
        {
            starts++;
            if (starts == 2) reasonWhileRestarting = _readiness.Unmet.GetValueOrDefault("consumer");
            if (starts < 3) return (new FakeControl(), Task.FromException(new IOException("delivery failed")));
            third.TrySetResult();
            return (new FakeControl(), Task.Delay(Timeout.Infinite, cts.Token));
        }, _ => { }, cts.Token);

        await third.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, starts);
        Assert.Equal(2, _metrics.StreamRestarts["readings"]);
        Assert.Contains("delivery failed", reasonWhileRestarting, StringComparison.Ordinal);
        Assert.True(_liveness.IsLive);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_stream_that_completes_without_being_stopped_is_a_failure_and_restarted_too()
    {
        var starts = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = Supervisor(Fast).RunAsync(() =>
        {
            if (++starts == 2) cts.Cancel();
            return (new FakeControl(), Task.CompletedTask);
        }, _ => { }, cts.Token);

        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, starts);
    }

    [Fact]
    public async Task A_stream_that_keeps_failing_is_given_up_and_the_process_is_no_longer_live()
    {
        var starts = 0;
        var run = Supervisor(Fast).RunAsync(() =>
        {
            starts++;
            throw new InvalidOperationException("cannot materialize");
        }, _ => { }, CancellationToken.None);

        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Fast.MaxFailuresInARow + 1, starts);
        Assert.False(_liveness.IsLive);
        Assert.Contains("cannot materialize", _liveness.Reasons["readings"], StringComparison.Ordinal);
        Assert.False(_readiness.IsReady);
    }

    [Fact]
    public async Task A_stream_ended_by_a_drain_is_not_restarted()
    {
        var starts = 0;
        var supervisor = Supervisor(Fast);
        var end = new TaskCompletionSource();
        var run = supervisor.RunAsync(() =>
        {
            starts++;
            return (new FakeControl(), end.Task);
        }, _ => { }, CancellationToken.None);

        supervisor.Stopping();
        end.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, starts);
        Assert.Empty(_metrics.StreamRestarts);
    }

    private sealed class FakeControl : IConsumerControl
    {
        public IReadOnlyCollection<TopicPartition> Assignment => [];
        public event Action<AssignmentChange>? AssignmentChanged { add { } remove { } }
        public IReadOnlyDictionary<TopicPartition, long> Lag() => new Dictionary<TopicPartition, long>();
        public string? BrokerProblem => null;
        public Task StopAsync() => Task.CompletedTask;
        public Task Completion => Task.CompletedTask;
    }
}
