using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Streams.Actors.Aggregates;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Entities;

/// <summary>
/// One municipality: keeps the latest summary of each member subject and writes the aggregate, conflated (at most one
/// record per conflation interval) and at least once per heartbeat while it has subjects. Membership (joins and
/// leaves) is journaled; summaries are snapshotted. Sequence numbers are reserved in persisted blocks so <c>seq</c>
/// never goes backwards across restarts.
/// </summary>
/// <remarks>
/// Sensors may be asleep (passivated): the municipality never wakes them all. Its <see cref="DueIndex{T}"/> wakes only
/// the sensor whose staleness check is due (or that still owes alerts), and drops unregistered vehicles that have been
/// stale for longer than the contract allows. After recovery it reconciles its members with the registry (moves and
/// tombstones made meanwhile) and asks its members to report, within the node's <see cref="WakeBudget"/> (unsummarized
/// members first), so that summaries changed after its last snapshot are brought up to date.
/// </remarks>
public sealed class MunicipalityEntity : ReceivePersistentActor, IWithTimers
{
    private const string FlushTimer = "flush";
    private const string HeartbeatTimer = "heartbeat";
    private const string DueTimer = "due";
    private const string ReportTimer = "report";
    private const string ReconcileTimer = "reconcile";
    private static readonly TimeSpan ReportTick = TimeSpan.FromMilliseconds(100);
    private const int ReportsPerTick = 50;
    private readonly string _id;
    private readonly EntityContext _ctx;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MunicipalityMembers _members;
    private readonly DueIndex<MunicipalityMember> _due = new();
    private readonly Queue<MunicipalityMember> _toAskForReport = new();
    private DateTimeOffset? _dueTimerAt;
    private DateTimeOffset? _lastSnapshotAt;
    private long _seq;
    private long _reservedUpTo;
    private bool _dirty;
    private bool _changedSinceSnapshot;
    private bool _publishing;
    private bool _snapshotting;

    public MunicipalityEntity(string id, EntityContext ctx)
    {
        _id = id;
        _ctx = ctx;
        PersistenceId = $"municipality-{id}";
        _members = new MunicipalityMembers(id);

        Recover<MunicipalitySeqReserved>(e => { _reservedUpTo = e.UpTo; _seq = e.UpTo; });
        Recover<MunicipalityMemberJoined>(e => _members.Join(e.Kind, e.SensorId));
        Recover<MunicipalityMemberLeft>(e => _members.Leave(e.Kind, e.SensorId, out _));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not MunicipalitySnapshot s) return;
            _reservedUpTo = _seq = s.SeqReservedUpTo;
            _members.Clear();
            foreach (var summary in s.Subjects) _members.Report(_members.Join(summary.Kind, summary.SensorId), summary);
            foreach (var unreported in s.Unreported ?? []) _members.Join(unreported.Kind, unreported.SensorId);
        });

        Command<SensorChanged>(c => OnSensorChanged(c.Summary));
        Command<SensorRemoved>(c => Leave(c.Kind, c.SensorId));
        Command<GetAggregate>(_ => Sender.Tell(Compute(_seq)));
        Command<GetMunicipalitySubjects>(_ => Sender.Tell(new MunicipalitySubjects(Compute(_seq), _members.Subjects(_ctx.Registry.SensorKeysOf(_id)).ToList())));
        Command<WakeMunicipality>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
        Command<Flush>(_ => FlushIfDirty());
        Command<Heartbeat>(_ =>
        {
            if (_members.Count > 0 || _ctx.Registry.SensorKeysOf(_id).Count > 0) _dirty = true;
            SnapshotIfChanged();
        });
        Command<DueTick>(_ => OnDue());
        Command<Reconcile>(_ => ReconcileWhenRegistryLoaded());
        Command<ReportTickMessage>(_ => AskNextReports());
        Command<AggregatePublished>(_ => { _publishing = false; });
        Command<AggregatePublishFailed>(f =>
        {
            _publishing = false;
            _dirty = true;
            _log.Warning("Aggregate of {0} not written, will retry: {1}", _id, f.Cause.Message);
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            _snapshotting = false;
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f =>
        {
            _snapshotting = false;
            _changedSinceSnapshot = true;
            _log.Warning("Snapshot of municipality {0} failed: {1}", _id, f.Cause.Message);
        });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public static Props Props(string id, EntityContext ctx) => EntityProducer<MunicipalityEntity>.Props(() => new MunicipalityEntity(id, ctx));

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

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _ctx.Metrics.StoreFailed(cause);
        _log.Warning("Municipality {0}: writing {1} failed, stopping until woken again: {2}", _id, @event.GetType().Name, cause.GetBaseException().Message);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _ctx.Metrics.StoreFailed(reason);
        _log.Warning("Municipality {0}: recovery failed, stopping until woken again: {1}", _id, reason.GetBaseException().Message);
    }

    /// <summary>Events may be persisted from here on (not yet in OnReplaySuccess).</summary>
    private void OnRecovered()
    {
        _ctx.Metrics.StoreSucceeded();
        Timers.StartPeriodicTimer(FlushTimer, Flush.Instance, _ctx.Tuning.AggregateConflation);
        Timers.StartPeriodicTimer(HeartbeatTimer, Heartbeat.Instance, HeartbeatPhase.Of(_id, _ctx.Tuning.AggregateHeartbeat), _ctx.Tuning.AggregateHeartbeat);
        ReconcileWhenRegistryLoaded();
        foreach (var member in _members.All) IndexDue(member);
        // Members without a summary first: the aggregate is not published until they reported. Then the others, whose
        // summary may have changed after the snapshot; a member that reports by itself meanwhile is not asked.
        foreach (var member in _members.All.Where(m => m.Summary is null)) _toAskForReport.Enqueue(member);
        foreach (var member in _members.All.Where(m => m.Summary is not null)) _toAskForReport.Enqueue(member);
        if (_toAskForReport.Count > 0) Timers.StartPeriodicTimer(ReportTimer, ReportTickMessage.Instance, ReportTick);
        // Members whose summary is unknown are about to report; publishing before that would show them as empty.
        _dirty = _members.All.All(m => m.Summary is not null) && (_members.Count > 0 || _ctx.Registry.SensorKeysOf(_id).Count > 0);
        ArmDueTimer();
    }

    /// <summary>Without the whole registry, a member missing from it may just not be read yet: wait for it.</summary>
    private void ReconcileWhenRegistryLoaded()
    {
        if (_ctx.Registry.IsLoaded) ReconcileWithRegistry();
        else Timers.StartSingleTimer(ReconcileTimer, Reconcile.Instance, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Moves and tombstones that happened while this municipality was down: a member the registry now places elsewhere
    /// (or no longer knows) leaves, and its sensor is told, so it reports to the right municipality. Vehicles are placed
    /// by their readings, not the registry: they are left alone.
    /// </summary>
    private void ReconcileWithRegistry()
    {
        foreach (var member in _members.All.ToList())
        {
            if (member.Kind == SubjectKind.Bus) continue;
            var entry = _ctx.Registry.Find<SensorEntry>(member.Kind, member.Id);
            if (entry is not null && entry.Municipality == _id) continue;
            _log.Info("Municipality {0}: {1} {2} since the last start; it leaves", _id, member.Key, entry is null ? "was retired" : $"moved to {entry.Municipality}");
            Leave(member.Kind, member.Id);
            _ctx.Regions.Sensors(member.Kind).Tell(entry is null ? new RetireSensor(member.Id) : new UpdateEntry(entry));
        }
    }

    private void OnSensorChanged(SensorSummary summary)
    {
        if (!_members.TryGet(summary.Kind, summary.SensorId, out var member))
        {
            member = _members.Join(summary.Kind, summary.SensorId);
            PersistAsync(new MunicipalityMemberJoined(summary.Kind, summary.SensorId), _ => _ctx.Metrics.StoreSucceeded());
        }
        _members.Report(member, summary);
        member.ReportedSinceRecovery = true;
        IndexDue(member);
        ArmDueTimer();
        _dirty = true;
        _changedSinceSnapshot = true;
    }

    private void Leave(SubjectKind kind, string id)
    {
        if (!_members.Leave(kind, id, out var member)) return;
        _due.Set(member, null);
        PersistAsync(new MunicipalityMemberLeft(member.Kind, member.Id), _ => _ctx.Metrics.StoreSucceeded());
        _dirty = true;
        _changedSinceSnapshot = true;
    }

    /// <summary>
    /// When this member next needs attention: an unpublished alert (wake to retry soon), its staleness check, or, for an
    /// unregistered vehicle that is stale, the end of its retention.
    /// </summary>
    private void IndexDue(MunicipalityMember member)
    {
        var s = member.Summary;
        DateTimeOffset? due = s switch
        {
            null => null,
            { OwesAlerts: true } => _ctx.Clock.GetUtcNow() + _ctx.Tuning.AggregateHeartbeat,
            { IsStale: false } => s.StaleDueAt,
            { Kind: SubjectKind.Bus, StaleDueAt: { } staleAt } when IsUnregistered(member) => staleAt + _ctx.Tuning.UnregisteredStaleRetention,
            _ => null,
        };
        _due.Set(member, due);
    }

    private bool IsUnregistered(MunicipalityMember member) => _ctx.Registry.Find(member.Kind, member.Id) is null;

    /// <summary>
    /// Wakes the sensors that are due, earliest first, as far as the node's wake budget allows; the rest stay in the
    /// index for the next tick (after an outage every sensor is due at once: taking them all and putting them back
    /// on every tick was work proportional to the municipality, ten times a second).
    /// </summary>
    private void OnDue()
    {
        _dueTimerAt = null;
        var now = _ctx.Clock.GetUtcNow();
        while (_due.PeekDue(now) is { } member)
        {
            if (!_members.TryGet(member.Kind, member.Id, out var current) || current != member)
            {
                _due.Set(member, null); // no longer a member: nothing is due for it here
                continue;
            }
            if (member.Summary is { IsStale: true, OwesAlerts: false, Kind: SubjectKind.Bus } && IsUnregistered(member))
            {
                _log.Info("Municipality {0}: unregistered {1} stale for {2}; it leaves", _id, member.Key, _ctx.Tuning.UnregisteredStaleRetention);
                Leave(member.Kind, member.Id);
                continue;
            }
            if (_ctx.Wakes.Take(1) == 0)
            {
                Timers.StartSingleTimer(DueTimer, DueTick.Instance, ReportTick);
                _dueTimerAt = now + ReportTick;
                return;
            }
            _ctx.Regions.Sensors(member.Kind).Tell(new CheckStaleness(member.Id));
            // If the wake is lost (the sensor failed to start), ask again later; its report replaces this.
            _due.Set(member, now + _ctx.Tuning.AggregateHeartbeat);
        }
        ArmDueTimer();
    }

    private void ArmDueTimer()
    {
        if (_due.NextCheck is not { } next) return;
        if (_dueTimerAt is { } armed && armed <= next) return;
        var delay = next - _ctx.Clock.GetUtcNow();
        Timers.StartSingleTimer(DueTimer, DueTick.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        _dueTimerAt = next;
    }

    private void AskNextReports()
    {
        var granted = 0;
        while (_toAskForReport.TryPeek(out var member))
        {
            if (member.ReportedSinceRecovery || !_members.TryGet(member.Kind, member.Id, out var current) || current != member)
            {
                _toAskForReport.Dequeue(); // reported by itself, or left: nothing to ask
                continue;
            }
            if (granted == 0 && (granted = _ctx.Wakes.Take(ReportsPerTick)) == 0) break; // the node's budget: next tick
            _toAskForReport.Dequeue();
            granted--;
            _ctx.Regions.Sensors(member.Kind).Tell(new ReportSummary(member.Id));
        }
        if (_toAskForReport.Count == 0) Timers.Cancel(ReportTimer);
    }

    private void SnapshotIfChanged()
    {
        if (!_changedSinceSnapshot || _snapshotting) return;
        var now = _ctx.Clock.GetUtcNow();
        if (_lastSnapshotAt is { } last && now - last < _ctx.Tuning.MunicipalitySnapshotInterval) return;
        _lastSnapshotAt = now;
        _changedSinceSnapshot = false;
        _snapshotting = true;
        var reported = _members.All.Where(m => m.Summary is not null).Select(m => m.Summary!).ToList();
        var unreported = _members.All.Where(m => m.Summary is null).Select(m => new MunicipalityMemberJoined(m.Kind, m.Id)).ToList();
        SaveSnapshot(new MunicipalitySnapshot(_reservedUpTo, reported) { Unreported = unreported });
    }

    private void FlushIfDirty()
    {
        if (!_dirty || _publishing) return;
        _dirty = false;
        _publishing = true;
        var next = _seq + 1;
        if (next > _reservedUpTo)
        {
            Persist(new MunicipalitySeqReserved(_reservedUpTo + _ctx.Tuning.SeqBlock), e =>
            {
                _ctx.Metrics.StoreSucceeded();
                _reservedUpTo = e.UpTo;
                _changedSinceSnapshot = true;
                Publish(next);
            });
            return;
        }
        Publish(next);
    }

    private void Publish(long seq)
    {
        _seq = seq;
        var aggregate = Compute(seq);
        _ctx.Publisher.PublishAggregateAsync(aggregate).PipeTo(Self,
            success: () => AggregatePublished.Instance,
            failure: ex => new AggregatePublishFailed(ex));
    }

    /// <summary>
    /// Members with their latest summaries, and registered sensors of this municipality that never reported (known, no
    /// reading): they count in facilities/vehicles/stations without waking them.
    /// </summary>
    private MunicipalityAggregate Compute(long seq)
    {
        var name = _ctx.Registry.Find<MunicipalityEntry>(SubjectKind.Municipality, _id)?.Name;
        return _members.Aggregate(name, seq, _ctx.Registry.SensorKeysOf(_id));
    }


    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed record DueTick
    {
        public static readonly DueTick Instance = new();
    }

    private sealed record Reconcile
    {
        public static readonly Reconcile Instance = new();
    }

    private sealed record ReportTickMessage
    {
        public static readonly ReportTickMessage Instance = new();
    }

    private sealed record AggregatePublished
    {
        public static readonly AggregatePublished Instance = new();
    }

    private sealed record AggregatePublishFailed(Exception Cause);
}
