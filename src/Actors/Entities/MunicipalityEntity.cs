using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Streams.Actors.Aggregates;
using Streams.Actors.Kafka;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;

namespace Streams.Actors.Entities;

/// <summary>
/// One municipality: keeps the latest summary of each of its sensors and writes the aggregate, conflated (at most one
/// record per conflation interval) and at least once per heartbeat while it has subjects. Sequence numbers are
/// reserved in persisted blocks so <c>seq</c> never goes backwards across restarts. On start it asks each of its
/// registered sensors to report, so a restarted municipality converges without waiting for readings, and again on
/// every heartbeat, which restarts sensors that stopped on a store failure.
/// </summary>
public sealed class MunicipalityEntity : ReceivePersistentActor, IWithTimers
{
    private const string FlushTimer = "flush";
    private const string HeartbeatTimer = "heartbeat";
    private readonly string _id;
    private readonly EntityContext _ctx;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, SensorSummary> _subjects = new();
    private long _seq;
    private long _reservedUpTo;
    private bool _dirty;
    private bool _publishing;
    private int _eventsSinceSnapshot;

    public MunicipalityEntity(string id, EntityContext ctx)
    {
        _id = id;
        _ctx = ctx;
        PersistenceId = $"municipality-{id}";

        Recover<MunicipalitySeqReserved>(e => { _reservedUpTo = e.UpTo; _seq = e.UpTo; });
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not MunicipalitySnapshot s) return;
            _reservedUpTo = _seq = s.SeqReservedUpTo;
            foreach (var summary in s.Subjects) _subjects[Key(summary.Kind, summary.SensorId)] = summary;
        });

        Command<SensorChanged>(c =>
        {
            _subjects[Key(c.Summary.Kind, c.Summary.SensorId)] = c.Summary;
            _dirty = true;
        });
        Command<SensorRemoved>(c =>
        {
            if (_subjects.Remove(Key(c.Kind, c.SensorId))) _dirty = true;
        });
        Command<GetAggregate>(_ => Sender.Tell(Compute(_seq)));
        Command<GetMunicipalitySubjects>(_ => Sender.Tell(new MunicipalitySubjects(Compute(_seq), _subjects.Values.ToList())));
        Command<WakeMunicipality>(_ => { });
        Command<Flush>(_ => FlushIfDirty());
        Command<Heartbeat>(_ =>
        {
            if (_subjects.Count > 0) _dirty = true;
            WakeSensors();
        });
        Command<AggregatePublished>(_ => { _publishing = false; });
        Command<AggregatePublishFailed>(f =>
        {
            _publishing = false;
            _dirty = true;
            _log.Warning("Aggregate of {0} not written, will retry: {1}", _id, f.Cause.Message);
        });
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning("Snapshot of municipality {0} failed: {1}", _id, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    public static Props Props(string id, EntityContext ctx) => Akka.Actor.Props.Create(() => new MunicipalityEntity(id, ctx));

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

    protected override void OnReplaySuccess()
    {
        _ctx.Metrics.StoreSucceeded();
        Timers.StartPeriodicTimer(FlushTimer, Flush.Instance, _ctx.Tuning.AggregateConflation);
        Timers.StartPeriodicTimer(HeartbeatTimer, Heartbeat.Instance, _ctx.Tuning.AggregateHeartbeat);
        WakeSensors();
    }

    /// <summary>
    /// Asks every registered sensor to report: on start so the aggregate converges without waiting for readings, and
    /// on every heartbeat so a sensor that stopped on a store failure is started again (and runs its staleness timer).
    /// </summary>
    private void WakeSensors()
    {
        foreach (var sensor in _ctx.Registry.SensorsOf(_id))
            _ctx.Regions.Sensors(sensor.Kind).Tell(new ReportSummary(sensor.Id));
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
                if (++_eventsSinceSnapshot >= 50)
                {
                    _eventsSinceSnapshot = 0;
                    SaveSnapshot(new MunicipalitySnapshot(_reservedUpTo, _subjects.Values.ToList()));
                }
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
        var record = new ProducerRecord(_ctx.Topics.Aggregates, System.Text.Encoding.UTF8.GetBytes(_id), ContractJson.Serialize(aggregate));
        _ctx.Publisher.PublishAsync([record]).PipeTo(Self,
            success: () => AggregatePublished.Instance,
            failure: ex => new AggregatePublishFailed(ex));
    }

    private MunicipalityAggregate Compute(long seq)
    {
        var name = _ctx.Registry.Find<MunicipalityEntry>(SubjectKind.Municipality, _id)?.Name;
        return MunicipalityAggregator.Compute(_id, name, seq, _subjects.Values);
    }

    private static string Key(SubjectKind kind, string id) => SubjectKinds.SubjectKey(kind, id);

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed record AggregatePublished
    {
        public static readonly AggregatePublished Instance = new();
    }

    private sealed record AggregatePublishFailed(Exception Cause);
}
