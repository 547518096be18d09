using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Streams.Actors.Aggregates;
using Streams.Actors.Kafka;
using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;

namespace Streams.Actors.Entities;

/// <summary>
/// One sensor (gauge, car park or bus). Applies readings through the pure rules, persists the resulting state with
/// the alerts it raised (an outbox), publishes those alerts, and only then acknowledges the reading, so an
/// acknowledged (and so committed) reading can never lose an alert. On recovery an unpublished outbox is published
/// again: same events, same ids. Also runs the wall-clock staleness timer.
/// </summary>
public sealed class SensorEntity : ReceivePersistentActor, IWithTimers
{
    private const string StaleTimer = "stale";
    private readonly SubjectKind _kind;
    private readonly string _id;
    private readonly EntityContext _ctx;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private SensorState _state;
    private SensorEntry? _entry;
    private readonly List<AlertEvent> _outbox = [];
    private readonly List<(IActorRef Sender, ReadingAck Ack)> _waitingForPublish = [];
    private int _eventsSinceSnapshot;
    private TimeSpan _publishBackoff;

    public SensorEntity(SubjectKind kind, string id, EntityContext ctx)
    {
        _kind = kind;
        _id = id;
        _ctx = ctx;
        _state = SensorRules.Initial(kind);
        _publishBackoff = ctx.Tuning.PublishRetryMin;
        PersistenceId = $"sensor-{kind.ToWire()}-{id}";

        Recover<SensorStateChanged>(ApplyEvent);
        Recover<SensorAlertsPublished>(ApplyEvent);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not SensorSnapshot s) return;
            _entry = s.Entry;
            _state = s.State;
            _outbox.Clear();
            _outbox.AddRange(s.Outbox);
        });

        Ready();
    }

    public static Props Props(SubjectKind kind, string id, EntityContext ctx) =>
        Akka.Actor.Props.Create(() => new SensorEntity(kind, id, ctx));

    public override string PersistenceId { get; }

    protected override void PreStart()
    {
        _ctx.Metrics.EntityStarted();
        base.PreStart();
    }

    protected override void PostStop()
    {
        _ctx.Metrics.EntityStopped();
        base.PostStop();
    }
    public ITimerScheduler Timers { get; set; } = null!;

    private string Subject => SubjectKinds.SubjectKey(_kind, _id);

    protected override void OnReplaySuccess()
    {
        _entry = _ctx.Registry.Find<SensorEntry>(_kind, _id) ?? _entry;
        ScheduleStaleCheck();
        ReportToMunicipality();
        if (_outbox.Count > 0)
        {
            _log.Info("{0}: publishing {1} alert(s) left unpublished before the restart", Subject, _outbox.Count);
            Self.Tell(PublishOutbox.Instance);
        }
    }

    private void Ready()
    {
        Command<ApplyReading>(cmd =>
        {
            var now = _ctx.Clock.GetUtcNow();
            var result = SensorRules.Apply(_state, cmd.Entry, cmd.Reading, now);
            if (!result.Applied)
            {
                // A duplicate after a replay: whatever it raised is already persisted in the outbox (or published).
                ReplyAfterPublishing(Sender, new ReadingAck(Subject, Applied: false, Alerts: 0));
                return;
            }

            var alerts = result.Transitions.Select(t => AlertEvents.ToCloudEvent(cmd.Entry, t)).ToList();
            var sender = Sender;
            Persist(new SensorStateChanged(cmd.Entry, result.State, alerts), e =>
            {
                ApplyEvent(e);
                AfterPersist();
                ScheduleStaleCheck();
                ReportToMunicipality();
                ReplyAfterPublishing(sender, new ReadingAck(Subject, Applied: true, Alerts: alerts.Count));
            });
        });
        Command<CheckStale>(_ =>
        {
            if (_entry is null) return;
            var result = SensorRules.CheckStale(_state, _entry, _ctx.Clock.GetUtcNow());
            if (result.Transitions.Count == 0)
            {
                ScheduleStaleCheck();
                return;
            }
            var alerts = result.Transitions.Select(t => AlertEvents.ToCloudEvent(_entry, t)).ToList();
            Persist(new SensorStateChanged(_entry, result.State, alerts), e =>
            {
                ApplyEvent(e);
                AfterPersist();
                ReportToMunicipality();
                PublishPending();
            });
        });
        Command<PublishOutbox>(_ => PublishPending());
        Command<ReportSummary>(_ => ReportToMunicipality());
        Command<GetSensorState>(_ => Sender.Tell(new SensorStateReply(Subject, _state, _outbox.Count)));
        Command<RetireSensor>(_ =>
        {
            if (_entry is not null)
                _ctx.Regions.Municipalities.Tell(new SensorRemoved(_entry.Municipality, _kind, _id));
            Timers.CancelAll();
            Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(PoisonPill.Instance));
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning("{0}: snapshot failed: {1}", Subject, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning("{0}: deleting old events failed: {1}", Subject, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    /// <summary>While alerts are on their way to Kafka, everything else waits: a subject's alerts keep their order.</summary>
    private void Publishing()
    {
        Command<Published>(p =>
        {
            _publishBackoff = _ctx.Tuning.PublishRetryMin;
            Persist(new SensorAlertsPublished(p.Ids), e =>
            {
                ApplyEvent(e);
                AfterPersist();
                if (_outbox.Count > 0) { StartPublishing(); return; }
                foreach (var (sender, ack) in _waitingForPublish) sender.Tell(ack);
                _waitingForPublish.Clear();
                Stash.UnstashAll();
                Become(Ready);
            });
        });
        Command<PublishFailed>(f =>
        {
            _log.Warning("{0}: publishing {1} alert(s) failed, retrying in {2}: {3}", Subject, _outbox.Count, _publishBackoff, f.Cause.Message);
            Timers.StartSingleTimer("publish-retry", PublishOutbox.Instance, _publishBackoff);
            _publishBackoff = TimeSpan.FromTicks(Math.Min(_publishBackoff.Ticks * 2, _ctx.Tuning.PublishRetryMax.Ticks));
        });
        Command<PublishOutbox>(_ => StartPublishing());
        Command<GetSensorState>(_ => Sender.Tell(new SensorStateReply(Subject, _state, _outbox.Count)));
        CommandAny(_ => Stash.Stash());
    }

    private void ReplyAfterPublishing(IActorRef sender, ReadingAck ack)
    {
        if (_outbox.Count == 0)
        {
            sender.Tell(ack);
            return;
        }
        _waitingForPublish.Add((sender, ack));
        PublishPending();
    }

    private void PublishPending()
    {
        if (_outbox.Count == 0) return;
        Become(Publishing);
        StartPublishing();
    }

    private void StartPublishing()
    {
        var batch = _outbox.ToList();
        var records = batch
            .Select(a => new ProducerRecord(_ctx.Topics.Alerts, System.Text.Encoding.UTF8.GetBytes(a.Subject), ContractJson.Serialize(a))
            {
                Headers = [new("content-type", System.Text.Encoding.UTF8.GetBytes(AlertEvent.ContentType))],
            })
            .ToList();
        var ids = batch.Select(a => a.Id).ToList();
        _ctx.Publisher.PublishAsync(records).PipeTo(Self,
            success: () => new Published(ids),
            failure: ex => new PublishFailed(ex));
    }

    private void ApplyEvent(SensorStateChanged e)
    {
        _entry = e.Entry;
        _state = e.State;
        _outbox.AddRange(e.Alerts);
    }

    private void ApplyEvent(SensorAlertsPublished e)
    {
        var published = e.AlertIds.ToHashSet();
        _outbox.RemoveAll(a => published.Contains(a.Id));
    }

    private void AfterPersist()
    {
        if (++_eventsSinceSnapshot < _ctx.Tuning.SnapshotEvery) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new SensorSnapshot(_entry, _state, _outbox.ToList()));
    }

    private void ScheduleStaleCheck()
    {
        if (_entry is null || _state.LastAppliedWallClock is not { } last || _state.IsStale) return;
        var due = last + _entry.StaleAfter - _ctx.Clock.GetUtcNow();
        Timers.StartSingleTimer(StaleTimer, CheckStale.Instance, due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    private void ReportToMunicipality()
    {
        if (_entry is null) return;
        _ctx.Regions.Municipalities.Tell(new SensorChanged(MunicipalityAggregator.Summarize(_entry, _state)));
    }

    private sealed record CheckStale
    {
        public static readonly CheckStale Instance = new();
    }

    private sealed record PublishOutbox
    {
        public static readonly PublishOutbox Instance = new();
    }

    private sealed record Published(IReadOnlyList<string> Ids);

    private sealed record PublishFailed(Exception Cause);
}
