using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// Marks offsets done as they arrive and asks their consumers to commit after MaxBatch done offsets or Interval,
/// whichever first, with at most one commit in flight; a final commit when upstream completes (or fails).
/// The materialized task completes after that final commit, or fails with the stream's or the commit's error.
/// </summary>
internal sealed class CommitterStage(CommitterSettings settings) : GraphStageWithMaterializedValue<SinkShape<CommittableOffset>, Task>
{
    internal CommitterSettings Settings { get; } = settings;

    private readonly Inlet<CommittableOffset> _in = new("KafkaCommitter.in");

    public override SinkShape<CommittableOffset> Shape => new(_in);

    protected override Attributes InitialAttributes => Attributes.CreateName("KafkaCommitter");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task>(new Logic(this, done), done.Task);
    }

    private sealed class Logic : TimerGraphStageLogic, IInHandler
    {
        private const string CommitTimer = "commit";
        private const int MarkInBatchesOf = 64;
        private readonly CommitterStage _stage;
        private readonly TaskCompletionSource _done;
        private readonly HashSet<ICommitTarget> _targets = [];
        private readonly List<CommittableOffset> _toMark = new(MarkInBatchesOf);
        private readonly int _maxBatch;
        private Action<Task<bool[]>>? _onCommitted;
        private int _uncommitted;
        private bool _commitInFlight;
        private bool _commitAgain;
        private bool _finishing;
        private Exception? _upstreamFailure;

        public Logic(CommitterStage stage, TaskCompletionSource done) : base(stage.Shape)
        {
            _stage = stage;
            _done = done;
            _maxBatch = Math.Max(1, stage.Settings.MaxBatch);
            SetHandler(stage._in, this);
        }

        public override void PreStart()
        {
            SetKeepGoing(true); // the final commit runs after the inlet closed
            _onCommitted = GetAsyncCallback<Task<bool[]>>(OnCommitted);
            ScheduleRepeatedly(CommitTimer, _stage.Settings.Interval);
            Pull(_stage._in);
        }

        public void OnPush()
        {
            var offset = Grab(_stage._in);
            if (_targets.Add(offset.Target)) offset.Target.AttachCommitter();
            _toMark.Add(offset);
            if (_toMark.Count >= MarkInBatchesOf || _uncommitted + _toMark.Count >= _maxBatch) MarkDone();
            if (_uncommitted >= _maxBatch) Commit();
            Pull(_stage._in);
        }

        /// <summary>
        /// Marks the offsets received since the last call done, one call per consumer: the consumer's lock is taken
        /// once per batch instead of once per offset. Before every commit, so a commit covers all that arrived.
        /// </summary>
        private void MarkDone()
        {
            if (_toMark.Count == 0) return;
            if (_targets.Count == 1)
            {
                _uncommitted += _toMark[0].Target.MarkDone(_toMark);
            }
            else
            {
                foreach (var group in _toMark.GroupBy(o => o.Target))
                    _uncommitted += group.Key.MarkDone(group.ToList());
            }
            _toMark.Clear();
        }

        public void OnUpstreamFinish() => Finish(null);

        public void OnUpstreamFailure(Exception e) => Finish(e);

        protected override void OnTimer(object timerKey)
        {
            MarkDone();
            if (_uncommitted > 0) Commit();
        }

        private void Finish(Exception? failure)
        {
            _finishing = true;
            _upstreamFailure = failure;
            CancelTimer(CommitTimer);
            if (_targets.Count == 0) Complete();
            else Commit();
        }

        private void Commit()
        {
            if (_commitInFlight)
            {
                _commitAgain = true;
                return;
            }
            MarkDone();
            _uncommitted = 0;
            _commitInFlight = true;
            var commits = _targets.Select(t => t.CommitAsync()).ToArray();
            var callback = _onCommitted!;
            Task.WhenAll(commits).ContinueWith(callback, TaskScheduler.Default);
        }

        private void OnCommitted(Task<bool[]> commit)
        {
            _commitInFlight = false;
            if (commit.Exception is { } ex)
            {
                var error = ex.InnerExceptions.Count == 1 ? ex.InnerExceptions[0] : ex;
                Log.Error(error, "Kafka commit failed");
                _done.TrySetException(error);
                FailStage(error);
                return;
            }
            // A retriable failure (a rebalance, the coordinator moving) left done offsets uncommitted: the next tick
            // commits them again, also when no new offset arrives (an idle stream would otherwise never commit them).
            if (commit.Result.Contains(false)) _uncommitted = Math.Max(_uncommitted, 1);
            if (_commitAgain)
            {
                _commitAgain = false;
                Commit();
            }
            else if (_finishing)
            {
                Complete();
            }
        }

        private void Complete()
        {
            if (_upstreamFailure is { } failure)
            {
                _done.TrySetException(failure);
                FailStage(failure);
            }
            else
            {
                _done.TrySetResult();
                CompleteStage();
            }
        }

        public override void PostStop()
        {
            foreach (var target in _targets) target.DetachCommitter();
            _done.TrySetException(new AbruptStageTerminationException(this));
        }
    }
}
