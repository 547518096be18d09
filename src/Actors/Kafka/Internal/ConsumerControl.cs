using System.Diagnostics;
using Akka.Event;
using Confluent.Kafka;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// The materialized <see cref="IConsumerControl"/>: snapshots published by the consumer thread, and the stop signal
/// to the source stage (which may not have started yet when StopAsync is called).
/// </summary>
internal sealed class ConsumerControl : IConsumerControl
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sourceStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyCollection<TopicPartition> _assignment = [];
    private volatile IReadOnlyDictionary<TopicPartition, long> _lag = new Dictionary<TopicPartition, long>();
    private volatile string? _brokerProblem;
    private Action? _stopStage;
    private bool _stopRequested;

    public IReadOnlyCollection<TopicPartition> Assignment => _assignment;

    public event Action<AssignmentChange>? AssignmentChanged;

    public IReadOnlyDictionary<TopicPartition, long> Lag() => _lag;

    public string? BrokerProblem
    {
        get
        {
            var blocked = Volatile.Read(ref _blockedSince);
            if (blocked != 0 && _blockedIn is { } what)
            {
                var seconds = Stopwatch.GetElapsedTime(blocked).TotalSeconds;
                if (seconds >= BlockedTooLong.TotalSeconds) return $"Kafka {what} not answered for {seconds:0} s (broker unreachable?)";
            }
            return _brokerProblem;
        }
    }

    /// <summary>A blocking call of the consumer thread longer than this is reported as a broker problem.</summary>
    private static readonly TimeSpan BlockedTooLong = TimeSpan.FromSeconds(5);
    private long _blockedSince;
    private volatile string? _blockedIn;

    /// <summary>The consumer thread enters (a name) or leaves (null) a call that waits for a broker.</summary>
    internal void BlockedIn(string? what)
    {
        _blockedIn = what;
        Volatile.Write(ref _blockedSince, what is null ? 0 : Stopwatch.GetTimestamp());
    }

    /// <summary>Stops emitting; the returned task completes once the source has completed (no more records).</summary>
    public Task StopAsync()
    {
        Action? stop;
        lock (_gate)
        {
            _stopRequested = true;
            stop = _stopStage;
        }
        stop?.Invoke();
        return _sourceStopped.Task;
    }

    public Task Completion => _completion.Task;

    /// <summary>The consumer session of the running stage (diagnostics and tests).</summary>
    internal ConsumerSession? Session { get; private set; }

    /// <summary>Called by the stage when it starts; returns true if a stop was already requested.</summary>
    internal bool Attach(ConsumerSession session, Action stopStage)
    {
        lock (_gate)
        {
            Session = session;
            _stopStage = stopStage;
            return _stopRequested;
        }
    }

    internal void PublishAssignment(IReadOnlyCollection<TopicPartition> assignment) => _assignment = assignment;

    internal void PublishLag(IReadOnlyDictionary<TopicPartition, long> lag) => _lag = lag;

    internal void PublishBrokerProblem(string? problem) => _brokerProblem = problem;

    internal void RaiseAssignmentChanged(AssignmentChange change, ILoggingAdapter log)
    {
        try
        {
            AssignmentChanged?.Invoke(change);
        }
        catch (Exception ex)
        {
            log.Error(ex, "AssignmentChanged handler threw");
        }
    }

    internal void SourceStopped() => _sourceStopped.TrySetResult();

    internal void Completed(Exception? error)
    {
        _assignment = [];
        _lag = new Dictionary<TopicPartition, long>();
        _brokerProblem = error is null ? null : $"consumer closed: {error.Message}";
        if (error is null) _completion.TrySetResult();
        else _completion.TrySetException(error);
    }
}
