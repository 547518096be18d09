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
/// the alerts it raised (its outbox), publishes the outbox, and only then acknowledges the reading: an acknowledged
/// (and so committed) reading can never lose an alert. On recovery an unpublished outbox is published again: same
/// events, same ids. Also runs the wall-clock staleness timer.
/// </summary>
/// <remarks>
/// State is applied as soon as a command arrives and persisted with PersistAsync, so the next readings do not wait
/// for the database; Akka writes the events that pile up meanwhile in one batch. Acknowledgments wait for the write
/// (and, when the reading raised alerts, for their publication), in order. Alerts leave in the order they were
/// raised: one publication at a time, first in first out.
/// </remarks>
public sealed class SensorEntity : ReceivePersistentActor, IWithTimers
{
    private const string StaleTimer = "stale";
    private const string PublishRetryTimer = "publish-retry";
    private readonly SubjectKind _kind;
    private readonly string _id;
    private readonly EntityContext _ctx;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private SensorState _state;
    private SensorEntry? _entry;
    // What the journal holds: _state runs ahead of it while PersistAsync writes are in flight, and a snapshot of
    // _state could contain a reading whose event (and alerts) never got written.
    private SensorState _durableState;
    private SensorEntry? _durableEntry;
    // The entry the journal knows (written or on its way): events carry the entry only when it differs from this.
    // _entry cannot serve: on start it is filled from the registry before anything was written.
    private SensorEntry? _journaledEntry;
    private readonly List<AlertEvent> _outbox = [];
    private long _alertsQueued;     // alerts ever put into the outbox (this incarnation)
    private long _alertsPublished;  // alerts ever published (this incarnation)
    private bool _publishing;
    private readonly Queue<(IActorRef Sender, ReadingAck Ack, long NeedsPublished)> _waiting = new();
    // Askers of readings whose events are being written, in write order: told ReadingNotStored if the write fails.
    private readonly Queue<IActorRef> _storing = new();
    private int _eventsSinceSnapshot;
    private TimeSpan _publishBackoff;

    public SensorEntity(SubjectKind kind, string id, EntityContext ctx)
    {
        _kind = kind;
        _id = id;
        _ctx = ctx;
        _state = _durableState = SensorRules.Initial(kind);
        _publishBackoff = ctx.Tuning.PublishRetryMin;
        PersistenceId = $"sensor-{kind.ToWire()}-{id}";

        Recover<SensorReadingApplied>(e =>
        {
            // Journals written before entries were tracked separately may lack the first entry: the registry has it.
            var entry = e.Entry ?? _entry ?? _ctx.Registry.Find<SensorEntry>(_kind, _id)
                ?? throw new InvalidOperationException($"{PersistenceId}: first event has no registry entry and the registry has none");
            var result = SensorRules.Apply(_state, entry, e.Reading, e.WallClock);
            _entry = _durableEntry = _journaledEntry = entry;
            _state = _durableState = result.State;
            Enqueue(ToAlerts(entry, result));
        });
        Recover<SensorStaleRaised>(e =>
        {
            if (_entry is null) return;
            var result = SensorRules.CheckStale(_state, _entry, e.WallClock);
            _state = _durableState = result.State;
            Enqueue(ToAlerts(_entry, result));
        });
        Recover<SensorAlertsPublished>(e => RemovePublished(e.AlertIds));
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not SensorSnapshot s) return;
            _entry = _durableEntry = _journaledEntry = s.Entry;
            _state = _durableState = s.State;
            _outbox.Clear();
            Enqueue(s.Outbox);
        });

        Command<ApplyReading>(OnReading);
        Command<CheckStale>(_ => OnStaleCheck());
        Command<PublishOutbox>(_ => PublishNext());
        Command<Published>(OnPublished);
        Command<PublishFailed>(OnPublishFailed);
        Command<ReportSummary>(_ => ReportToMunicipality());
        Command<GetSensorState>(_ => Sender.Tell(new SensorStateReply(Subject, _state, _outbox.Count)));
        Command<GetSensorDetail>(_ => Sender.Tell(new SensorDetail(Subject, _entry, _state, _outbox.Count)));
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

    public static Props Props(SubjectKind kind, string id, EntityContext ctx) =>
        Akka.Actor.Props.Create(() => new SensorEntity(kind, id, ctx));

    public override string PersistenceId { get; }
    public ITimerScheduler Timers { get; set; } = null!;

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

    private string Subject => SubjectKinds.SubjectKey(_kind, _id);

    protected override void OnReplaySuccess()
    {
        _ctx.Metrics.StoreSucceeded();
        _entry = _ctx.Registry.Find<SensorEntry>(_kind, _id) ?? _entry;
        ScheduleStaleCheck();
        ReportToMunicipality();
        if (_outbox.Count > 0)
        {
            _log.Info("{0}: publishing {1} alert(s) left unpublished before the restart", Subject, _outbox.Count);
            PublishNext();
        }
    }

    /// <summary>
    /// Akka stops the entity after this. Its askers are told now rather than left to time out (they ask again, and a
    /// fresh incarnation recovers from what the journal holds); the next message starts that incarnation.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _ctx.Metrics.StoreFailed(cause);
        _log.Warning("{0}: writing {1} failed, stopping until asked again: {2}", Subject, @event.GetType().Name, cause.GetBaseException().Message);
        TellNotStored(cause);
    }

    /// <summary>The journal refused the event (it was not written) but Akka keeps the actor: stop it, as after a failure,
    /// so that live state never runs ahead of the journal.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        TellNotStored(cause);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _ctx.Metrics.StoreFailed(reason);
        _log.Warning("{0}: recovery failed, stopping until asked again: {1}", Subject, reason.GetBaseException().Message);
    }

    private void TellNotStored(Exception cause)
    {
        var reply = new ReadingNotStored(Subject, cause.GetBaseException().Message);
        // Those waiting only for publication are durable; their askers learn that when they ask again.
        foreach (var (sender, _, _) in _waiting) sender.Tell(reply);
        foreach (var sender in _storing) sender.Tell(reply);
        _waiting.Clear();
        _storing.Clear();
    }

    private void OnReading(ApplyReading cmd)
    {
        var sender = Sender;
        var now = _ctx.Clock.GetUtcNow();
        var result = SensorRules.Apply(_state, cmd.Entry, cmd.Reading, now);
        if (!result.Applied)
        {
            // A duplicate (e.g. replayed after a restart): what it raised is persisted already; answer once that
            // and everything before it is durable and published.
            DeferAsync(cmd, _ => Reply(sender, new ReadingAck(Subject, Applied: false, Alerts: 0), _alertsQueued));
            return;
        }

        var moved = _entry is not null && _entry.Municipality != cmd.Entry.Municipality ? _entry.Municipality : null;
        var entryChanged = !Equals(_journaledEntry, cmd.Entry);
        if (entryChanged) _journaledEntry = cmd.Entry;
        var alerts = ToAlerts(cmd.Entry, result);
        _entry = cmd.Entry;
        _state = result.State;
        if (moved is not null) _ctx.Regions.Municipalities.Tell(new SensorRemoved(moved, _kind, _id));
        ScheduleStaleCheck();
        ReportToMunicipality();
        _storing.Enqueue(sender);
        PersistAsync(new SensorReadingApplied(cmd.Reading, now, entryChanged ? cmd.Entry : null), _ =>
        {
            _storing.TryDequeue(out IActorRef? _);
            _ctx.Metrics.StoreSucceeded();
            _durableState = result.State;
            _durableEntry = cmd.Entry;
            Enqueue(alerts);
            AfterPersist();
            Reply(sender, new ReadingAck(Subject, Applied: true, Alerts: alerts.Count), _alertsQueued);
            PublishNext();
        });
    }

    private void OnStaleCheck()
    {
        if (_entry is null) return;
        var now = _ctx.Clock.GetUtcNow();
        var result = SensorRules.CheckStale(_state, _entry, now);
        if (result.Transitions.Count == 0)
        {
            ScheduleStaleCheck();
            return;
        }
        var alerts = ToAlerts(_entry, result);
        _state = result.State;
        ReportToMunicipality();
        PersistAsync(new SensorStaleRaised(now), _ =>
        {
            _durableState = result.State;
            Enqueue(alerts);
            AfterPersist();
            PublishNext();
        });
    }

    /// <summary>Answers once the outbox up to <paramref name="needsPublished"/> is on Kafka; acknowledgments keep their order.</summary>
    private void Reply(IActorRef sender, ReadingAck ack, long needsPublished)
    {
        _waiting.Enqueue((sender, ack, needsPublished));
        ReleaseWaiting();
    }

    private void ReleaseWaiting()
    {
        while (_waiting.Count > 0 && _waiting.Peek().NeedsPublished <= _alertsPublished)
        {
            var (sender, ack, _) = _waiting.Dequeue();
            sender.Tell(ack);
        }
    }

    private void PublishNext()
    {
        if (_publishing || _outbox.Count == 0) return;
        _publishing = true;
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

    private void OnPublished(Published p)
    {
        _publishing = false;
        _publishBackoff = _ctx.Tuning.PublishRetryMin;
        RemovePublished(p.Ids);
        _alertsPublished += p.Ids.Count;
        // Recording the publication only saves a duplicate after a crash, so it needs no acknowledgment.
        PersistAsync(new SensorAlertsPublished(p.Ids), _ => AfterPersist());
        ReleaseWaiting();
        PublishNext();
    }

    private void OnPublishFailed(PublishFailed f)
    {
        _log.Warning("{0}: publishing {1} alert(s) failed, retrying in {2}: {3}", Subject, _outbox.Count, _publishBackoff, f.Cause.Message);
        Timers.StartSingleTimer(PublishRetryTimer, PublishOutbox.Instance, _publishBackoff);
        _publishBackoff = TimeSpan.FromTicks(Math.Min(_publishBackoff.Ticks * 2, _ctx.Tuning.PublishRetryMax.Ticks));
        _publishing = false;
    }

    private static List<AlertEvent> ToAlerts(SensorEntry entry, RuleResult result) =>
        result.Transitions.Select(t => AlertEvents.ToCloudEvent(entry, t)).ToList();

    private void Enqueue(IReadOnlyList<AlertEvent> alerts)
    {
        _outbox.AddRange(alerts);
        _alertsQueued += alerts.Count;
    }

    private void RemovePublished(IReadOnlyList<string> ids)
    {
        var published = ids.ToHashSet();
        var removed = _outbox.RemoveAll(a => published.Contains(a.Id));
        if (IsRecovering) _alertsQueued -= removed;
    }

    private void AfterPersist()
    {
        if (++_eventsSinceSnapshot < _ctx.Tuning.SnapshotEvery) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new SensorSnapshot(_durableEntry, _durableState, _outbox.ToList()));
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
