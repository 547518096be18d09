using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Event;
using Confluent.Kafka;
using Error = Confluent.Kafka.Error;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// One Kafka consumer and the dedicated thread that owns it. The thread polls continuously (so rebalance callbacks
/// run and max.poll.interval never expires), feeds <see cref="Buffer"/>, pauses every assigned partition once the
/// buffer is full (records or bytes) and resumes them when it drained below half (hysteresis), and runs commits handed over by the
/// committer. When the source stopped it waits until in-flight records are done (or the committers stopped, or
/// <see cref="ConsumerSettings.DrainTimeout"/>), commits, closes the consumer and completes the control.
/// </summary>
internal sealed class ConsumerSession : ICommitTarget
{
    private const int MaxRecordsPerPoll = 500;
    private static readonly TimeSpan LagRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MetadataRetryInterval = TimeSpan.FromSeconds(1);
    /// <summary>How long no broker connection may be up before <see cref="IConsumerControl.BrokerProblem"/> says so.</summary>
    private static readonly TimeSpan BrokerDownAfter = TimeSpan.FromSeconds(3);

    private readonly ConsumerSettings _settings;
    private readonly Subscription _subscription;
    private readonly bool _commits;
    private readonly ILoggingAdapter _log;
    private readonly ConsumerControl _control;
    private readonly Action _wakeStage;
    private readonly Action<Exception> _failStage;
    private readonly object _trackerGate = new();
    private readonly OffsetTracker _tracker = new();
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly HashSet<TopicPartition> _assigned = [];
    // The tracker's epoch of each assigned partition, for the consumer thread alone: it is the only thread that assigns
    // and revokes, so it reads a consumed record's epoch here without taking the tracker's lock once per record.
    private readonly Dictionary<TopicPartition, int> _epochs = [];
    private readonly int _maxBuffered;
    private readonly int _resumeBelow;
    private readonly long _maxBufferedBytes;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Thread? _thread;
    private volatile bool _sourceStopped;
    private volatile bool _closed;
    private volatile Exception? _fatal;
    private int _committers;
    private int _committersEverAttached;
    private bool _paused;
    private bool _repause;
    private bool _drainTimedOut;
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private readonly BrokerConnectionWatch _brokers = new(BrokerDownAfter);

    public ConsumerSession(
        ConsumerSettings settings, Subscription subscription, bool commits, ILoggingAdapter log,
        ConsumerControl control, Action wakeStage, Action<Exception> failStage)
    {
        _settings = settings;
        _subscription = subscription;
        _commits = commits;
        _log = log;
        _control = control;
        _wakeStage = wakeStage;
        _failStage = failStage;
        _maxBuffered = Math.Max(1, settings.MaxBufferedRecords);
        _resumeBelow = Math.Max(1, _maxBuffered / 2);
        _maxBufferedBytes = Math.Max(1, settings.MaxBufferedBytes);
    }

    public RecordBuffer Buffer { get; } = new();

    /// <summary>Records emitted and not yet marked done.</summary>
    public int InFlightCount
    {
        get { lock (_trackerGate) return _tracker.InFlightCount; }
    }

    public void Start()
    {
        // A foreground thread: process exit waits for it, so Close (final commit, group leave) is never cut off. It
        // ends by itself within DrainTimeout + FinalCommitTimeout once the source stage stopped (which an actor
        // system shutting down does).
        _thread = new Thread(Run)
        {
            IsBackground = false,
            Name = $"kafka-consumer-{(_subscription is Subscription.Topics t ? string.Join(",", t.Names) : ((Subscription.AllPartitionsFromBeginning)_subscription).Topic)}",
        };
        _thread.Start();
    }

    /// <summary>The source stage stopped: no more records are emitted; drain, commit and close.</summary>
    public void SourceStopped() => _sourceStopped = true;

    /// <summary>Called by the stage before emitting: starts tracking the offset. False if the partition was revoked.</summary>
    public bool Register(BufferedRecord record)
    {
        lock (_trackerGate)
            return _tracker.Register(record.Result.TopicPartition, record.Epoch, record.Result.Offset.Value);
    }

    /// <summary>Whether a buffered record still belongs to the current assignment of its partition.</summary>
    public bool IsCurrent(BufferedRecord record)
    {
        lock (_trackerGate)
            return _tracker.EpochOf(record.Result.TopicPartition) == record.Epoch;
    }

    public int MarkDone(IReadOnlyList<CommittableOffset> offsets)
    {
        var marked = 0;
        lock (_trackerGate)
        {
            foreach (var offset in offsets)
            {
                var tpo = offset.TopicPartitionOffset;
                if (_tracker.MarkDone(tpo.TopicPartition, offset.Epoch, tpo.Offset.Value)) marked++;
            }
        }
        return marked;
    }

    public Task<bool> CommitAsync()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(() =>
        {
            try
            {
                done.TrySetResult(CommitDone(null));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (_closed) RunCommands(); // the consumer is gone: complete the request here (nothing left to commit)
        return done.Task;
    }

    public void AttachCommitter()
    {
        Interlocked.Increment(ref _committers);
        Interlocked.Exchange(ref _committersEverAttached, 1);
    }

    public void DetachCommitter() => Interlocked.Decrement(ref _committers);

    private void Run()
    {
        Exception? error = null;
        try
        {
            var config = KafkaConfig.Consumer(_settings, withGroup: _subscription is Subscription.Topics, _log);
            _log.Info("Kafka consumer starting ({0}): {1}", _subscription, KafkaConfig.Describe(config));
            using var consumer = Build(config);
            _consumer = consumer;
            if (_subscription is Subscription.Topics topics)
                consumer.Subscribe(topics.Names);
            else if (!AssignAllPartitions(consumer, ((Subscription.AllPartitionsFromBeginning)_subscription).Topic))
                return; // stopped before the topic appeared

            var nextLag = Stopwatch.StartNew();
            Stopwatch? draining = null;
            while (true)
            {
                RunCommands();
                ThrowIfFatal();
                if (_sourceStopped)
                {
                    draining ??= StartDraining(consumer);
                    // The final commit can fail while the group rebalances (another member leaving at the same
                    // time): keep polling, which completes the rebalance, and try again.
                    if (Drained(draining) && FinalCommit(draining)) break;
                }
                Poll(consumer);
                if (_sourceStopped) KeepPaused(consumer);
                else ApplyBackpressure(consumer);
                if (nextLag.Elapsed >= LagRefreshInterval)
                {
                    RefreshLag(consumer);
                    nextLag.Restart();
                }
            }

            RunCommands();
            consumer.Close(); // revokes (committing what is done again, if anything) and leaves the group
            _log.Info("Kafka consumer closed ({0})", _subscription);
        }
        catch (Exception ex)
        {
            error = _fatal ?? ex;
            _log.Error(error, "Kafka consumer failed ({0})", _subscription);
            _failStage(error);
        }
        finally
        {
            _consumer = null;
            _closed = true;
            RunCommands();
            _control.Completed(error);
        }
    }

    private IConsumer<byte[]?, byte[]?> Build(Dictionary<string, string> config) =>
        new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, e) => OnError(e))
            .SetLogHandler((_, m) => KafkaLog.Write(_log, m))
            .SetStatisticsHandler((_, json) => OnStatistics(json))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions.Select(p => p.TopicPartition).ToList(), commit: true))
            .SetPartitionsLostHandler((c, partitions) => OnRevoked(c, partitions.Select(p => p.TopicPartition).ToList(), commit: false))
            .Build();

    /// <summary>No group: every partition of the topic from the beginning. Waits (logging) until the topic exists.</summary>
    private bool AssignAllPartitions(IConsumer<byte[]?, byte[]?> consumer, string topic)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (!_sourceStopped)
        {
            RunCommands();
            ThrowIfFatal();
            string problem;
            try
            {
                var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == topic);
                if (meta is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    var partitions = meta.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList();
                    OnAssigned(partitions);
                    consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
                    return true;
                }
                problem = meta is null ? "not in metadata" : meta.Error.IsError ? meta.Error.Reason : "no partitions";
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                problem = ex.Error.Reason;
            }
            _log.Warning("Kafka topic {0} not available yet ({1}); retrying in {2}", topic, problem, MetadataRetryInterval);
            var wait = Stopwatch.StartNew();
            while (!_sourceStopped && wait.Elapsed < MetadataRetryInterval) Thread.Sleep(50);
        }
        return false;
    }

    private void Poll(IConsumer<byte[]?, byte[]?> consumer)
    {
        var batch = new List<BufferedRecord>();
        var batchBytes = 0L;
        var timeout = _settings.PollTimeout;
        while (batch.Count < MaxRecordsPerPoll)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(timeout);
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                _log.Warning("Kafka consume error (librdkafka retries): {0}", ex.Error);
                break;
            }
            if (result is null) break;
            timeout = TimeSpan.Zero;
            if (_sourceStopped) continue;
            if (result.IsPartitionEOF && (_commits || !_settings.EnablePartitionEof)) continue;
            if (!_epochs.TryGetValue(result.TopicPartition, out var epoch)) continue; // not (or no longer) ours
            batch.Add(new BufferedRecord(result, epoch));
            batchBytes += batch[^1].Size;
            if (Buffer.Count + batch.Count >= _maxBuffered || Buffer.Bytes + batchBytes >= _maxBufferedBytes) break;
        }
        if (Buffer.AddRange(batch)) _wakeStage();
    }

    /// <summary>Pause everything once when full, resume once below half; keep new assignments paused meanwhile.</summary>
    private void ApplyBackpressure(IConsumer<byte[]?, byte[]?> consumer)
    {
        var count = Buffer.Count;
        var bytes = Buffer.Bytes;
        if (!_paused && (count >= _maxBuffered || bytes >= _maxBufferedBytes))
        {
            consumer.Pause(consumer.Assignment);
            _paused = true;
            _repause = false;
            _log.Debug("Kafka consumer paused: {0} records buffered", count);
        }
        else if (_paused && count < _resumeBelow && bytes < _maxBufferedBytes / 2)
        {
            Resume(consumer);
            _paused = false;
            _log.Debug("Kafka consumer resumed: {0} records buffered", count);
        }
        else
        {
            KeepPaused(consumer);
        }
    }

    /// <summary>Partitions assigned while paused start fetching: pause them too.</summary>
    private void KeepPaused(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (!_paused || !_repause) return;
        consumer.Pause(consumer.Assignment);
        _repause = false;
    }

    /// <summary>
    /// Resumes every assigned partition. librdkafka only restarts the fetch of a resumed partition on its broker
    /// thread's next periodic wake-up (up to a second later); a seek to the current position starts it right away
    /// (no record is skipped or repeated: the position is the next offset this consumer has not consumed).
    /// </summary>
    private void Resume(IConsumer<byte[]?, byte[]?> consumer)
    {
        var assignment = consumer.Assignment;
        consumer.Resume(assignment);
        foreach (var tpo in Positions(consumer, assignment))
        {
            try
            {
                consumer.Seek(tpo);
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                _log.Debug("Kafka seek of {0} on resume failed (fetch restarts on its own): {1}", tpo, ex.Error);
            }
        }
    }

    private static List<TopicPartitionOffset> Positions(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        var result = new List<TopicPartitionOffset>();
        foreach (var tp in partitions)
        {
            var position = consumer.Position(tp);
            if (!position.IsSpecial) result.Add(new TopicPartitionOffset(tp, position));
        }
        return result;
    }

    private Stopwatch StartDraining(IConsumer<byte[]?, byte[]?> consumer)
    {
        consumer.Pause(consumer.Assignment);
        _paused = true;
        Buffer.Clear();
        _log.Debug("Kafka source stopped; draining {0} in-flight records", InFlightCount);
        return Stopwatch.StartNew();
    }

    private bool Drained(Stopwatch draining)
    {
        if (!_commits) return true;
        if (InFlightCount == 0) return true;
        if (Volatile.Read(ref _committersEverAttached) == 1 && Volatile.Read(ref _committers) == 0) return true;
        if (draining.Elapsed < _settings.DrainTimeout) return false;
        if (!_drainTimedOut)
            _log.Warning("Kafka consumer closing with {0} records still in flight after {1}", InFlightCount, _settings.DrainTimeout);
        _drainTimedOut = true;
        return true;
    }

    /// <summary>True once every done offset is committed, or when it is too late to keep trying.</summary>
    private bool FinalCommit(Stopwatch draining)
    {
        if (!_commits || CommitDone(_consumer, null)) return true;
        if (draining.Elapsed < _settings.DrainTimeout + _settings.FinalCommitTimeout) return false;
        _log.Warning("Kafka consumer closing without its final commit (still failing after {0})", draining.Elapsed);
        return true;
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        if (partitions.Count == 0) return; // cooperative rebalances that change nothing for this member
        lock (_trackerGate)
        {
            foreach (var tp in partitions) _epochs[tp] = _tracker.Assign(tp);
        }
        _assigned.UnionWith(partitions);
        if (_paused) _repause = true;
        _control.PublishAssignment(_assigned.ToArray());
        _log.Info("Kafka partitions assigned: {0}", string.Join(", ", partitions));
        _control.RaiseAssignmentChanged(new AssignmentChange(partitions, []), _log);
    }

    /// <summary>Revoked (commit what is done first) or lost (cannot commit): drop buffered records, forget tracking.</summary>
    private void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions, bool commit)
    {
        if (partitions.Count == 0) return;
        // librdkafka keeps a partition that the application paused paused across its revocation and a later
        // assignment (unlike the Java client). Revoked or lost while the buffer was full (e.g. the session timed out
        // during a broker outage), it came back paused and was never fetched again: the consumer sat idle with lag.
        // Resume it while it is still assigned; a new assignment is paused again by KeepPaused if need be.
        try
        {
            consumer.Resume(partitions);
        }
        catch (KafkaException ex)
        {
            _log.Debug("Kafka resume of revoked partitions failed: {0}", ex.Error);
        }
        var set = partitions.ToHashSet();
        var dropped = Buffer.RemovePartitions(set);
        if (commit && _commits)
        {
            try
            {
                CommitDone(consumer, partitions);
            }
            catch (Exception ex)
            {
                _log.Warning("Kafka commit on revoke failed: {0}", ex.Message);
            }
        }
        lock (_trackerGate)
        {
            foreach (var tp in partitions)
            {
                _tracker.Revoke(tp);
                _epochs.Remove(tp);
            }
        }
        _assigned.ExceptWith(partitions);
        _control.PublishAssignment(_assigned.ToArray());
        _log.Info("Kafka partitions {0}: {1} ({2} buffered records dropped)", commit ? "revoked" : "lost", string.Join(", ", partitions), dropped);
        _control.RaiseAssignmentChanged(new AssignmentChange([], partitions), _log);
    }

    private bool CommitDone(IEnumerable<TopicPartition>? only) => CommitDone(_consumer, only);

    /// <summary>
    /// Commits every partition's contiguous done prefix (consumer thread only). Transient failures are logged and
    /// retried by the next commit (the tracker still holds the points); fatal ones throw.
    /// </summary>
    /// <returns>False if a retriable failure left something uncommitted.</returns>
    private bool CommitDone(IConsumer<byte[]?, byte[]?>? consumer, IEnumerable<TopicPartition>? only)
    {
        if (consumer is null || !_commits) return true;
        List<TopicPartitionOffset> points;
        lock (_trackerGate) points = _tracker.CommitPoints(only);
        if (points.Count == 0) return true;
        try
        {
            // A synchronous commit waits for the group coordinator: with every broker down it blocks this thread
            // (and so the statistics above) until the broker is back. The control reports a long wait itself.
            _control.BlockedIn("offset commit");
            try
            {
                consumer.Commit(points);
            }
            finally
            {
                _control.BlockedIn(null);
            }
            MarkCommitted(points);
            _log.Debug("Kafka committed {0}", string.Join(", ", points));
            return true;
        }
        catch (TopicPartitionOffsetException ex)
        {
            MarkCommitted(ex.Results.Where(r => !r.Error.IsError).Select(r => r.TopicPartitionOffset));
            _log.Warning("Kafka commit partly failed (will retry): {0}",
                string.Join(", ", ex.Results.Where(r => r.Error.IsError).Select(r => $"{r.TopicPartition}: {r.Error.Reason}")));
            return false;
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            _log.Warning("Kafka commit failed (will retry): {0}", ex.Error);
            return false;
        }
    }

    private void MarkCommitted(IEnumerable<TopicPartitionOffset> committed)
    {
        lock (_trackerGate)
        {
            foreach (var tpo in committed) _tracker.Committed(tpo);
        }
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command)) command();
    }

    private void RefreshLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        var lag = new Dictionary<TopicPartition, long>();
        foreach (var tp in _assigned)
        {
            var high = consumer.GetWatermarkOffsets(tp).High; // cached from fetch responses: never blocks
            var position = consumer.Position(tp);
            if (high.IsSpecial || position.IsSpecial) continue;
            lag[tp] = Math.Max(0, high.Value - position.Value);
        }
        _control.PublishLag(lag);
    }

    /// <summary>Broker connections from librdkafka's statistics (on the consumer thread): readiness follows them.</summary>
    private void OnStatistics(string json)
    {
        switch (_brokers.Observe(json, _started.Elapsed))
        {
            case BrokerVerdict.Up:
                if (_control.BrokerProblem is not null) _log.Info("Kafka broker connection up again");
                _control.PublishBrokerProblem(null);
                break;
            case BrokerVerdict.Down:
                if (_control.BrokerProblem is null) _log.Warning("{0}", _brokers.Problem);
                _control.PublishBrokerProblem(_brokers.Problem);
                break;
        }
    }

    private void OnError(Error error)
    {
        if (!error.IsFatal) _brokers.ErrorSeen(error.Reason);
        if (error.IsFatal)
        {
            _log.Error("Kafka consumer fatal error: {0}", error);
            _fatal ??= new KafkaException(error);
        }
        else
        {
            _log.Warning("Kafka consumer error (librdkafka retries): {0}", error);
        }
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } fatal) throw fatal;
    }
}
