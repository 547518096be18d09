using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>
/// One sensor (gauge, car park or bus). Applies a batch of readings through the pure rules, persists the batch as one
/// event, publishes the alerts it raised (its outbox), and only then acknowledges the batch: an acknowledged (and so
/// committed) reading can never lose an alert. On recovery an unpublished outbox is published again: same events,
/// same ids. Also runs the wall-clock staleness check, applies registry changes when they arrive, and retires.
/// </summary>
/// <remarks>
/// State is applied as soon as a command arrives and persisted with PersistAsync, so the next batch does not wait for
/// the database; Akka writes events that pile up meanwhile together. Acknowledgments wait for the write (and, when
/// the batch raised alerts, for their publication), in order. When the shard stops the entity (hand-off, idle
/// passivation) it first finishes its write and publication, or abandons them after a timeout.
/// </remarks>
public sealed class SensorEntity : UntypedPersistentActor, IWithTimers
{
    private const string StaleTimer = "stale";
    private const string PublishRetryTimer = "publish-retry";
    private const string StopTimer = "stop";
    private readonly SubjectKind _kind;
    private readonly string _id;
    private readonly EntityContext _ctx;

    private SensorState _state;
    private SensorEntry? _entry;
    private bool _retired;
    // What the journal holds: _state runs ahead of it while PersistAsync writes are in flight, and a snapshot of
    // _state could contain a reading whose event (and alerts) never got written.
    private SensorState _durableState;
    private SensorEntry? _durableEntry;
    // The entry the journal knows (written or on its way): events carry the entry only when it differs from this.
    private SensorEntry? _journaledEntry;
    private readonly AlertOutbox<(IActorRef Asker, object Answer)> _outbox = new();
    // Journal writes in flight, in order: whose batch each one is (told ReadingsNotStored if it fails), and the answers
    // to duplicates that arrived meanwhile (released once it is done, so they never overtake an earlier batch).
    private readonly Queue<PendingWrite> _writes = new();
    private PendingWrite? _lastWrite;
    private int _eventsSinceSnapshot;
    // Snapshot writes and the deletes after them whose answer is due: a stopping sensor waits for them, so that its
    // last snapshot is saved and the answers do not become dead letters.
    private int _housekeeping;
    private bool _holdsStopSnapshotSlot;
    private TimeSpan _publishBackoff;
    private bool _stopping;
    private DateTimeOffset _staleTimerDueAt;
    private LiveSensorLimit<IActorRef>.Handle? _live;

    public SensorEntity(SubjectKind kind, string id, EntityContext ctx)
    {
        _kind = kind;
        _id = id;
        _ctx = ctx;
        _state = _durableState = SensorRules.Initial(kind);
        _publishBackoff = ctx.Tuning.PublishRetryMin;
        PersistenceId = $"sensor-{kind.ToWire()}-{id}";
    }

    public static Props Props(SubjectKind kind, string id, EntityContext ctx) =>
        EntityProducer<SensorEntity>.Props(() => new SensorEntity(kind, id, ctx));

    // Handlers are a switch rather than ReceivePersistentActor's registrations: those cost every live entity about
    // 2 KB of delegates and matchers, and a node holds hundreds of thousands of entities at a city's size.
    protected override void OnRecover(object message)
    {
        // Counted across incarnations: a sensor woken for each of its readings (a gauge every 15 minutes, passivated
        // after 2) would otherwise never reach SnapshotEvery in one life, and every wake would replay its whole history.
        if (message is IStreamsMessage) _eventsSinceSnapshot++;
        switch (message)
        {
            case SensorReadingsApplied e:
                foreach (var applied in e.Readings) Replay(applied.Reading, applied.Entry, e.WallClock);
                break;
            case SensorReadingApplied e:
                Replay(e.Reading, e.Entry, e.WallClock);
                break;
            case SensorStaleRaised e:
                if ((e.Entry ?? _entry) is not { } entry) break;
                var result = SensorRules.CheckStale(_state, entry, e.WallClock);
                _state = _durableState = result.State;
                _outbox.Add(ToAlerts(entry, result));
                break;
            case SensorEntryChanged e:
                _entry = _durableEntry = _journaledEntry = e.Entry;
                _retired = false;
                break;
            case SensorRetired:
                _retired = true;
                break;
            case SensorAlertsPublished e:
                _outbox.Forget(e.AlertIds.ToHashSet());
                break;
            case SnapshotOffer { Snapshot: SensorSnapshot s }:
                _eventsSinceSnapshot = 0;
                _entry = _durableEntry = _journaledEntry = s.Entry;
                _state = _durableState = s.State;
                _retired = s.Retired;
                _outbox.Reset(s.Outbox);
                break;
            case SnapshotOffer or RecoveryCompleted:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ApplyReadings c:
                _ctx.LiveSensors.Used(_live!);
                OnReadings(c);
                break;
            case CheckStaleness: OnStaleCheck(reportEvenIfUnchanged: true); break;
            case StaleCheckDue: OnStaleCheck(reportEvenIfUnchanged: false); break;
            case UpdateEntry c: OnUpdateEntry(c); break;
            case RetireSensor: OnRetire(); break;
            case PublishOutbox: PublishNext(); break;
            case Published: OnPublished(); break;
            case PublishFailed f: OnPublishFailed(f); break;
            case ReportSummary: ReportToMunicipality(); break;
            case GetSensorState: Sender.Tell(new SensorStateReply(Subject, _state, _outbox.Count)); break;
            case StopEntity: OnStop(); break;
            case PassivateForLimit:
                if (!_stopping) Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopEntity.Instance));
                break;
            case StopTimedOut: Abandon(); break;
            case GetSensorDetail: Sender.Tell(new SensorDetail(Subject, _entry, _state, _outbox.Count)); break;
            case SaveSnapshotSuccess s:
                _housekeeping++; // one answer came, two are now due
                DeleteMessages(s.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure f:
                Log.Warning("{0}: snapshot failed: {1}", Subject, f.Cause.Message);
                HousekeepingDone();
                break;
            case DeleteMessagesFailure f:
                Log.Warning("{0}: deleting old events failed: {1}", Subject, f.Cause.Message);
                HousekeepingDone();
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess or DeleteSnapshotsFailure: HousekeepingDone(); break;
            default: Unhandled(message); break;
        }
    }

    public override string PersistenceId { get; }
    public ITimerScheduler Timers { get; set; } = null!;

    private string Subject => SubjectKinds.SubjectKey(_kind, _id);

    protected override void PreStart()
    {
        _ctx.Metrics.EntityStarted();
        (_live, var evict) = _ctx.LiveSensors.Started(Self);
        if (evict is not null)
        {
            _ctx.Metrics.SensorPassivatedForLimit();
            evict.Tell(PassivateForLimit.Instance);
        }
        base.PreStart();
    }

    protected override void PostStop()
    {
        _ctx.Metrics.EntityStopped();
        if (_live is not null) _ctx.LiveSensors.Stopped(_live);
        if (_holdsStopSnapshotSlot) _ctx.StopSnapshots.Return();
        base.PostStop();
    }

    private void Replay(Contracts.Readings.Reading reading, SensorEntry? journaledEntry, DateTimeOffset wallClock)
    {
        // Journals written before entries were tracked separately may lack the first entry: the registry has it.
        var entry = journaledEntry ?? _entry ?? _ctx.Registry.Find<SensorEntry>(_kind, _id)
            ?? throw new InvalidOperationException($"{PersistenceId}: first event has no registry entry and the registry has none");
        var result = SensorRules.Apply(_state, entry, reading, wallClock);
        _entry = _durableEntry = _journaledEntry = entry;
        _state = _durableState = result.State;
        _outbox.Add(ToAlerts(entry, result));
    }

    protected override void OnReplaySuccess()
    {
        _ctx.Metrics.StoreSucceeded();
        if (_retired) return;
        ScheduleStaleCheck();
        if (_state.LastObservedAt is not null) ReportToMunicipality();
        // A registry change made while this sensor was asleep (or its node down) applies now.
        if (_kind != SubjectKind.Bus && _ctx.Registry.Find<SensorEntry>(_kind, _id) is { } current && _entry is not null && !Equals(current, _entry))
            Self.Tell(new UpdateEntry(current));
        if (_outbox.Count > 0)
        {
            Log.Info("{0}: publishing {1} alert(s) left unpublished before the restart", Subject, _outbox.Count);
            PublishNext();
        }
    }

    /// <summary>Akka stops the entity after this. Its askers are told now rather than left to time out.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _ctx.Metrics.StoreFailed(cause);
        Log.Warning("{0}: writing {1} failed, stopping until asked again: {2}", Subject, @event.GetType().Name, cause.GetBaseException().Message);
        TellNotStored(cause.GetBaseException().Message);
    }

    /// <summary>The journal refused the event (it was not written) but Akka keeps the actor: stop it, as after a failure,
    /// so that live state never runs ahead of the journal.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        TellNotStored(cause.GetBaseException().Message);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _ctx.Metrics.StoreFailed(reason);
        Log.Warning("{0}: recovery failed, stopping until asked again: {1}", Subject, reason.GetBaseException().Message);
    }

    private void TellNotStored(string reason)
    {
        var reply = new ReadingsNotStored(Subject, reason);
        // Those waiting only for publication are durable; their askers learn that when they ask again.
        foreach (var (asker, _) in _outbox.TakeAllWaiting()) asker.Tell(reply);
        foreach (var write in _writes)
        {
            write.Asker?.Tell(reply);
            foreach (var (asker, _) in write.After ?? []) asker.Tell(reply);
        }
        _writes.Clear();
        _lastWrite = null;
    }

    private void OnReadings(ApplyReadings cmd)
    {
        var asker = Sender;
        if (_retired)
        {
            asker.Tell(new ReadingsRefused(Subject, "retired: the registry entry was removed"));
            return;
        }

        var now = _ctx.Clock.GetUtcNow();
        var state = _state;
        var entry = _entry;
        var journaled = _journaledEntry;
        var applied = new List<AppliedReading>(cmd.Items.Count);
        List<AlertEvent>? alerts = null;
        foreach (var item in cmd.Items)
        {
            var result = SensorRules.Apply(state, item.Entry, item.Reading, now);
            if (!result.Applied) continue;
            applied.Add(new AppliedReading(item.Reading, Equals(journaled, item.Entry) ? null : item.Entry));
            journaled = item.Entry;
            entry = item.Entry;
            state = result.State;
            if (result.Transitions.Count > 0) (alerts ??= []).AddRange(ToAlerts(item.Entry, result));
        }
        var duplicates = cmd.Items.Count - applied.Count;
        var alertCount = alerts?.Count ?? 0;
        if (applied.Count == 0)
        {
            // Duplicates (e.g. replayed after a restart): what they raised is persisted already; answer once that and
            // everything before it is durable and published. Not with DeferAsync: Akka.Persistence.Sql fails on the
            // empty write it makes ("Sequence contains no elements"), which counts against the journal's breaker.
            AfterWrites(asker, new ReadingsAck(Subject, 0, duplicates, 0));
            return;
        }

        var movedFrom = _entry is not null && entry is not null && _entry.Municipality != entry.Municipality ? _entry.Municipality : null;
        _state = state;
        _entry = entry;
        _journaledEntry = journaled;
        if (movedFrom is not null) _ctx.Regions.Municipalities.Tell(new SensorRemoved(movedFrom, _kind, _id));
        ScheduleStaleCheck();
        ReportToMunicipality();
        Write(new SensorReadingsApplied(applied, now), asker, _ =>
        {
            _ctx.Metrics.StoreSucceeded();
            _durableState = state;
            _durableEntry = entry;
            if (alerts is not null) _outbox.Add(alerts);
            Answer(asker, new ReadingsAck(Subject, applied.Count, duplicates, alertCount));
            PublishNext();
        });
    }

    private void OnStaleCheck(bool reportEvenIfUnchanged)
    {
        if (_retired || _entry is null) return;
        var entry = _entry;
        var now = _ctx.Clock.GetUtcNow();
        var result = SensorRules.CheckStale(_state, entry, now);
        if (result.Transitions.Count == 0)
        {
            ScheduleStaleCheck();
            // The municipality's due-time index woke us: tell it the real due time so it stops asking.
            if (reportEvenIfUnchanged) ReportToMunicipality();
            return;
        }
        var alerts = ToAlerts(entry, result);
        _state = result.State;
        ReportToMunicipality();
        Write(new SensorStaleRaised(now, entry), null, _ =>
        {
            _durableState = result.State;
            _outbox.Add(alerts);
            PublishNext();
        });
    }

    private void OnUpdateEntry(UpdateEntry cmd)
    {
        if (!_retired && Equals(cmd.Entry, _entry)) return;
        var previous = _entry;
        var known = _retired || _journaledEntry is not null || _state.LastObservedAt is not null;
        _entry = cmd.Entry;
        if (!known) return; // nothing journaled, nothing reported: the next reading carries the entry
        _retired = false;
        _journaledEntry = cmd.Entry;
        if (previous is not null && previous.Municipality != cmd.Entry.Municipality)
            _ctx.Regions.Municipalities.Tell(new SensorRemoved(previous.Municipality, _kind, _id));
        ScheduleStaleCheck();
        ReportToMunicipality();
        Write(new SensorEntryChanged(cmd.Entry), null, e => _durableEntry = e.Entry);
    }

    private void OnRetire()
    {
        Timers.Cancel(StaleTimer);
        if (_retired)
        {
            OnStop();
            return;
        }
        _retired = true;
        if (_entry is not null) _ctx.Regions.Municipalities.Tell(new SensorRemoved(_entry.Municipality, _kind, _id));
        Write(new SensorRetired(_ctx.Clock.GetUtcNow()), null, _ => OnStop());
    }

    /// <summary>Persists <paramref name="event"/> without waiting (PersistAsync), tracking it until its handler ran.</summary>
    private void Write<TEvent>(TEvent @event, IActorRef? asker, Action<TEvent> done) where TEvent : class
    {
        var write = new PendingWrite(asker);
        _writes.Enqueue(write);
        _lastWrite = write;
        PersistAsync(@event, e =>
        {
            _writes.Dequeue();
            if (_writes.Count == 0) _lastWrite = null;
            done(e);
            AfterPersist();
            foreach (var (waiting, answer) in write.After ?? []) Answer(waiting, answer);
            StopIfDone();
            LastSender.Forget(Context);
        });
    }

    /// <summary>Answers once every write issued so far is done (and, through the outbox, its alerts are on Kafka).</summary>
    private void AfterWrites(IActorRef asker, object answer)
    {
        if (_lastWrite is null) Answer(asker, answer);
        else (_lastWrite.After ??= []).Add((asker, answer));
    }

    /// <summary>Answers once the outbox up to now is on Kafka; answers keep their order.</summary>
    private void Answer(IActorRef asker, object answer)
    {
        foreach (var (waiting, reply) in _outbox.Wait((asker, answer))) waiting.Tell(reply);
    }

    private void PublishNext()
    {
        if (_outbox.NextBatch() is not { } batch) return;
        _ctx.Publisher.PublishAlertsAsync(batch).PipeTo(Self,
            success: () => Published.Instance,
            failure: ex => new PublishFailed(ex));
    }

    private void OnPublished()
    {
        var ids = _outbox.InFlight?.Select(a => a.Id).ToList() ?? [];
        _publishBackoff = _ctx.Tuning.PublishRetryMin;
        foreach (var (asker, reply) in _outbox.Published()) asker.Tell(reply);
        // Recording the publication only saves a duplicate after a crash, so it needs no acknowledgment.
        if (ids.Count > 0) Write(new SensorAlertsPublished(ids), null, _ => { });
        if (_outbox.Count > 0) ReportToMunicipality();
        PublishNext();
    }

    private void OnPublishFailed(PublishFailed f)
    {
        _outbox.PublishFailed();
        Log.Warning("{0}: publishing {1} alert(s) failed, retrying in {2}: {3}", Subject, _outbox.Count, _publishBackoff, f.Cause.Message);
        if (_stopping)
        {
            Abandon();
            return;
        }
        Timers.StartSingleTimer(PublishRetryTimer, PublishOutbox.Instance, _publishBackoff);
        _publishBackoff = TimeSpan.FromTicks(Math.Min(_publishBackoff.Ticks * 2, _ctx.Tuning.PublishRetryMax.Ticks));
    }

    private static List<AlertEvent> ToAlerts(SensorEntry entry, RuleResult result) =>
        result.Transitions.Count == 0 ? [] : result.Transitions.Select(t => AlertEvents.ToCloudEvent(entry, t)).ToList();

    private void AfterPersist()
    {
        if (++_eventsSinceSnapshot >= _ctx.Tuning.SnapshotEvery) TakeSnapshot();
    }

    private void TakeSnapshot()
    {
        _eventsSinceSnapshot = 0;
        _housekeeping++;
        SaveSnapshot(new SensorSnapshot(_durableEntry, _durableState, _outbox.Pending.ToList()) { Retired = _retired });
    }

    private void HousekeepingDone()
    {
        _housekeeping--;
        StopIfDone();
    }

    private void ScheduleStaleCheck()
    {
        if (_retired || _entry is null || _state.LastAppliedWallClock is not { } last || _state.IsStale) return;
        var dueAt = last + _entry.StaleAfter;
        // A timer due no later stays: it finds the sensor fresh and schedules the real due time then. Rescheduling on
        // every reading cost a scheduler registration (seven objects) per reading.
        if (_staleTimerDueAt <= dueAt && Timers.IsTimerActive(StaleTimer)) return;
        _staleTimerDueAt = dueAt;
        var due = dueAt - _ctx.Clock.GetUtcNow();
        Timers.StartSingleTimer(StaleTimer, StaleCheckDue.Instance, due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    private void ReportToMunicipality()
    {
        if (_entry is null || _retired) return;
        var summary = MunicipalityAggregator.Summarize(_entry, _state, owesAlerts: _outbox.Count > 0);
        _ctx.Regions.Municipalities.Tell(new SensorChanged(summary));
    }

    /// <summary>The shard wants this entity gone (hand-off or idle): finish the write and publication first.</summary>
    private void OnStop()
    {
        _stopping = true;
        if (StopIfDone()) return;
        Timers.StartSingleTimer(StopTimer, StopTimedOut.Instance, _ctx.Tuning.StopTimeout);
    }

    private bool StopIfDone()
    {
        if (!_stopping || _writes.Count > 0 || !_outbox.IsIdle || _housekeeping > 0) return false;
        // The next wake replays what was written since the last snapshot: leave a fresh one once that is worth a write.
        if (_ctx.Tuning.SnapshotOnStopAfter > 0 && _eventsSinceSnapshot >= _ctx.Tuning.SnapshotOnStopAfter && !_holdsStopSnapshotSlot)
        {
            var taken = _ctx.StopSnapshots.TryTake();
            _ctx.Metrics.StopSnapshot(taken);
            if (taken)
            {
                _holdsStopSnapshotSlot = true; // until the sensor has stopped
                TakeSnapshot();
                return false;
            }
        }
        Context.Stop(Self);
        return true;
    }

    /// <summary>
    /// Stopping took too long (the broker is down): what is owed stays in the journal and the next incarnation publishes
    /// it; askers are told to ask again, and the municipality, which sees that alerts are owed, wakes us later.
    /// </summary>
    private void Abandon()
    {
        if (_outbox.Count > 0 || _writes.Count > 0)
            Log.Warning("{0}: stopping with {1} alert(s) still to publish; the next start publishes them", Subject, _outbox.Count);
        else
            Log.Warning("{0}: stopping before the stores answered for its snapshot; the next start replays its events", Subject);
        ReportToMunicipality();
        TellNotStored("the entity stopped before its alerts were published");
        Context.Stop(Self);
    }

    private sealed class PendingWrite(IActorRef? asker)
    {
        public IActorRef? Asker { get; } = asker;
        public List<(IActorRef Asker, object Answer)>? After { get; set; }
    }

    private sealed record StaleCheckDue
    {
        public static readonly StaleCheckDue Instance = new();
    }

    private sealed record PublishOutbox
    {
        public static readonly PublishOutbox Instance = new();
    }

    private sealed record Published
    {
        public static readonly Published Instance = new();
    }

    private sealed record PublishFailed(Exception Cause);

    /// <summary>The node has more live sensors than it may: this one was used least recently and passivates.</summary>
    private sealed record PassivateForLimit
    {
        public static readonly PassivateForLimit Instance = new();
    }

    private sealed record StopTimedOut
    {
        public static readonly StopTimedOut Instance = new();
    }
}
