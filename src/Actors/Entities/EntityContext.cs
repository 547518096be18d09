using Akka.Actor;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
using Streams.Contracts;

namespace Streams.Actors.Entities;

/// <summary>What every entity of this node shares: the registry, the output publisher, topics, clock and tuning.</summary>
public sealed record EntityContext(
    RegistryView Registry,
    IOutputPublisher Publisher,
    OutputTopics Topics,
    TimeProvider Clock,
    EntityTuning Tuning,
    Ingestion.PipelineMetrics Metrics)
{
    /// <summary>Set once the shard regions exist (they reference each other).</summary>
    public ShardRegions Regions { get; } = new();

    /// <summary>Background wakes of sleeping sensors, shared by every municipality of this node.</summary>
    public WakeBudget Wakes { get; } = new(Tuning.WakesPerSecond, Clock);

    /// <summary>This node's live sensors, least recently used first (<see cref="EntityTuning.MaxLiveSensors"/>).</summary>
    public LiveSensorLimit<IActorRef> LiveSensors { get; } = new(Tuning.MaxLiveSensors);

    /// <summary>Snapshots of stopping sensors in flight on this node (<see cref="EntityTuning.StopSnapshotsInFlight"/>).</summary>
    public SnapshotSlots StopSnapshots { get; } = new(Tuning.StopSnapshotsInFlight);
}

public sealed record OutputTopics(string Alerts, string Aggregates, string DeadLetter);

public sealed record EntityTuning
{
    public int SnapshotEvery { get; init; } = 200;

    public const int DefaultSnapshotOnStopAfter = 20;

    /// <summary>
    /// A sensor that stops (passivation, hand-off) with at least this many events since its last snapshot saves one
    /// first, so that waking it replays fewer; 0 turns it off.
    /// </summary>
    public int SnapshotOnStopAfter { get; init; } = DefaultSnapshotOnStopAfter;

    public const int DefaultStopSnapshotsInFlight = 4;

    /// <summary>Snapshots of stopping sensors this node writes at once at most; beyond it a sensor stops without one.</summary>
    public int StopSnapshotsInFlight { get; init; } = DefaultStopSnapshotsInFlight;
    public TimeSpan AggregateConflation { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan AggregateHeartbeat { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PublishRetryMin { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan PublishRetryMax { get; init; } = TimeSpan.FromSeconds(30);
    public long SeqBlock { get; init; } = 1000;

    /// <summary>How long a stopping entity may take to finish its write and publication before it abandons them.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public const int DefaultPassivateIdleAfterSeconds = 120;

    /// <summary>A sensor that received nothing for this long is passivated (stopped; it recovers when needed).</summary>
    public TimeSpan PassivateIdleAfter { get; init; } = TimeSpan.FromSeconds(DefaultPassivateIdleAfterSeconds);

    /// <summary>How long an unregistered vehicle stays in its municipality once stale (contract: 24 hours).</summary>
    public TimeSpan UnregisteredStaleRetention { get; init; } = TimeSpan.FromHours(24);

    // 100,000 rather than 200,000: at a million subjects the lower limit ran faster (fewer sensors in gen 2 to mark)
    // and peaked at 3.3 instead of 4.0-4.2 GiB (docs/performance.md, sixth round).
    public const int DefaultMaxLiveSensors = 100_000;

    /// <summary>
    /// Sensors this node keeps running at most (about 10 KB each with the collector's headroom); beyond it the least
    /// recently used is passivated, so memory stays bounded even when more sensors report within
    /// <see cref="PassivateIdleAfter"/> than fit.
    /// </summary>
    public int MaxLiveSensors { get; init; } = DefaultMaxLiveSensors;

    public const int DefaultWakesPerSecond = 100;

    /// <summary>
    /// Sleeping sensors this node's municipalities may wake per second, all together: reports asked after a restart
    /// and due staleness checks (<see cref="WakeBudget"/>).
    /// </summary>
    public int WakesPerSecond { get; init; } = DefaultWakesPerSecond;

    /// <summary>A municipality snapshots its members at most this often (when they changed).</summary>
    public TimeSpan MunicipalitySnapshotInterval { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed class ShardRegions
{
    private readonly Dictionary<SubjectKind, IActorRef> _sensors = new();
    private IActorRef _municipalities = ActorRefs.Nobody;

    public IActorRef Municipalities => _municipalities;

    public IActorRef Sensors(SubjectKind kind) => _sensors.TryGetValue(kind, out var r) ? r : ActorRefs.Nobody;

    public void Set(SubjectKind kind, IActorRef region)
    {
        if (kind == SubjectKind.Municipality) _municipalities = region;
        else _sensors[kind] = region;
    }
}
