using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Actors.Placement;
using Streams.Actors.Registry;
using Streams.Contracts.Validation;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>
/// Owns the readings stream (<see cref="ReadingsPipeline"/>): starts it, restarts it
/// with backoff whenever it fails (from the committed offsets), reports it as readiness condition "consumer", and
/// drains it on shutdown: the source stops, in-flight readings finish and are committed, the consumer closes.
/// </summary>
/// <remarks>
/// Records are handled only once the registry is loaded (<see cref="HoldUntil{T}"/>). A node alone in its cluster
/// joins the consumer group at once, so the wait for a killed predecessor's Kafka session overlaps the registry's
/// read. A node joining other members waits for its registry first: the partitions it would take over keep flowing
/// on the others meanwhile, instead of standing still for the registry's read (tens of seconds at a million entries).
/// A static member's partitions (<c>group.instance.id</c>) wait for its return either way.
/// </remarks>
public sealed class ReadingsService : BackgroundService
{
    public const string Condition = "consumer";
    private readonly StreamServiceContext _ctx;
    private readonly ILogger<ReadingsService> _logger;
    private readonly StreamSupervisor _supervisor;
    private readonly ShardLocationUpdater? _placement;
    private volatile IConsumerControl? _control;

    public ReadingsService(StreamServiceContext ctx, ILogger<ReadingsService> logger)
    {
        (_ctx, _logger) = (ctx, logger);
        _supervisor = ctx.Supervisor("readings", Condition, logger);
        _placement = ctx.Options.Kafka.PartitionAwarePlacement
            ? new ShardLocationUpdater(ctx.System, IngestionSettings.InputTopics(ctx.Options), ctx.Locality.Placement, Logging.GetLogger(ctx.System, "placement"))
            : null;
    }

    /// <summary>The current materialization's consumer (null before the first start).</summary>
    public IConsumerControl? Control => _control;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _ctx.Startup.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (OtherMembersUp() is var others and > 0)
        {
            _logger.LogInformation("Readings consumer joins its group once the registry is loaded; {Others} other cluster member(s) consume meanwhile", others);
            await _ctx.Registry.Loaded.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        var materializer = _ctx.System.Materializer(namePrefix: "readings");
        var log = Logging.GetLogger(_ctx.System, "readings");
        var settings = IngestionSettings.Readings(_ctx.Options, _ctx.Kafka);
        var resolver = new SubjectResolver(_ctx.Registry, new MunicipalityLocator(_ctx.Registry));
        await _supervisor.RunAsync(
            () => new ReadingsPipeline(settings, new RecordValidator(TimeProvider.System), resolver, _ctx.Entities.Regions, _ctx.Metrics, _ctx.Locality, log, _ctx.Registry.Loaded).Run(materializer),
            control => Watch(control, settings),
            stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Reachable Up members other than this node: the consumers that keep the partitions while it loads.</summary>
    private int OtherMembersUp()
    {
        var cluster = Akka.Cluster.Cluster.Get(_ctx.System);
        var state = cluster.State;
        return state.Members.Count(m => m.Address != cluster.SelfAddress
                                        && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp
                                        && !state.Unreachable.Contains(m));
    }

    private void Watch(IConsumerControl control, ReadingsPipelineSettings settings)
    {
        _control = control;
        control.AssignmentChanged += change =>
        {
            UpdateReadiness(control);
            _placement?.Claim(change.Assigned);
        };
        UpdateReadiness(control);
        _placement?.Claim(control.Assignment); // assigned before the handler was attached
        if (_ctx.Registry.IsLoaded) _logger.LogInformation("Readings flowing from {Topics}", string.Join(", ", settings.Topics.Readings));
        else _logger.LogInformation("Readings consumer joining its group on {Topics}; records wait until the registry is loaded", string.Join(", ", settings.Topics.Readings));
    }

    private void UpdateReadiness(IConsumerControl control)
    {
        if (!ReferenceEquals(control, _control)) return; // an earlier materialization closing
        if (control.Assignment.Count > 0) _ctx.Readiness.Met(Condition);
        else _ctx.Readiness.Set(Condition, "readings consumer has no partitions assigned");
    }

    /// <summary>Stop consuming, finish and commit in-flight readings, close the consumer; at most <paramref name="budget"/>.</summary>
    public async Task DrainAsync(DrainBudget budget)
    {
        _supervisor.Stopping();
        if (_control is not { } control) return;
        _logger.LogInformation("Draining: finishing in-flight readings and committing their offsets ...");
        await control.StopAsync().ConfigureAwait(false);
        // The consumer itself gives up on in-flight readings after budget.Readings and on its final commit after
        // budget.FinalCommit more; its Completion is the consumer closed (commit done, group left).
        var closed = await Task.WhenAny(control.Completion, Task.Delay(budget.Readings + budget.FinalCommit + DrainBudget.ConsumerClose)).ConfigureAwait(false);
        if (closed != control.Completion) _logger.LogWarning("Readings consumer not closed within the drain budget");
        _logger.LogInformation("Drained: {Applied} readings applied, {DeadLetters} dead letters in total", _ctx.Metrics.Applied, _ctx.Metrics.DeadLetters);
    }
}
