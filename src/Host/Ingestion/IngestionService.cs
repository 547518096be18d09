using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
using Streams.Contracts.Validation;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>
/// Starts the topology once the cluster is up: registry first (read to its end), then readings. Stopping drains:
/// the readings source stops, in-flight readings finish and are committed, then the consumer closes. The drain is a
/// CoordinatedShutdown task, so it runs however the node goes down (Ctrl+C, SIGTERM, leave).
/// </summary>
public sealed class IngestionService(
    ActorSystem system,
    StreamsOptions options,
    KafkaConnection kafka,
    RegistryView registry,
    EntityContext entities,
    KafkaOutputPublisher publisher,
    PipelineMetrics metrics,
    Readiness readiness,
    ILogger<IngestionService> logger) : BackgroundService
{
    private IConsumerControl? _readings;
    private IConsumerControl? _registry;
    private Task _readingsDone = Task.CompletedTask;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;

    public IConsumerControl? ReadingsControl => _readings;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        publisher.Start(system);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-readings", async () =>
        {
            await DrainAsync().ConfigureAwait(false);
            return Akka.Done.Instance;
        });

        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        readiness.Met("cluster");
        var journal = system.Settings.Config.GetConfig("akka.persistence.journal.sql");
        logger.LogInformation("Journal: {Provider}, {Writers} writer(s), batches up to {Batch} events",
            journal?.GetString("provider-name"), journal?.GetInt("parallelism"), journal?.GetInt("batch-size"));

        await WaitForTopics(stoppingToken).ConfigureAwait(false);

        var materializer = system.Materializer(namePrefix: "ingestion");
        var log = Logging.GetLogger(system, "ingestion");
        var validator = new RecordValidator(TimeProvider.System);
        var registryConsumer = kafka.Consumer($"{options.Kafka.GroupId}-registry") with { MaxBufferedRecords = options.Pipeline.MaxBufferedRecords };
        (_registry, _) = new RegistryPipeline(registryConsumer, options.Topics.Registry, options.Topics.DeadLetter,
            validator, registry, publisher, metrics, log).Run(materializer);
        var router = new RegistryChangeRouter(registry, entities.Regions);
        registry.Changed += router.Route;

        logger.LogInformation("Reading the registry from {Topic} ...", options.Topics.Registry);
        await registry.Loaded.WaitAsync(stoppingToken).ConfigureAwait(false);
        readiness.Met("registry");
        var municipalities = WakeMunicipalities();
        logger.LogInformation("Registry loaded: {Entries} entries; {Municipalities} municipalities started", registry.Count, municipalities);
        _ = KeepMunicipalitiesAwake(stoppingToken);

        var topics = new InputTopics(options.Topics.Registry, options.Topics.Pegel, options.Topics.Parking, options.Topics.Bus);
        var settings = new ReadingsPipelineSettings(
            kafka.Consumer(options.Kafka.GroupId) with { MaxBufferedRecords = options.Pipeline.MaxBufferedRecords },
            kafka.Producer(),
            new CommitterSettings(options.Pipeline.CommitBatch, TimeSpan.FromMilliseconds(options.Pipeline.CommitIntervalMs)),
            topics,
            options.Topics.DeadLetter) 
        {
            MaxBatch = options.Pipeline.MaxBatch,
            BatchWindow = TimeSpan.FromMilliseconds(options.Pipeline.BatchWindowMs),
            SubjectsInFlight = options.Pipeline.SubjectsInFlight,
        };
        var (control, completion) = new ReadingsPipeline(settings, validator, new SubjectResolver(registry, new MunicipalityLocator(registry)), entities.Regions, metrics, log).Run(materializer);
        _readings = control;
        _readingsDone = completion;
        control.AssignmentChanged += _ => UpdateAssignmentReadiness(control);
        UpdateAssignmentReadiness(control);
        logger.LogInformation("Readings flowing from {Topics}", string.Join(", ", topics.Readings));

        try
        {
            await completion.WaitAsync(stoppingToken).ConfigureAwait(false);
            if (Volatile.Read(ref _draining) == 0)
                logger.LogError("The readings stream completed unexpectedly; the node is not ready");
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            logger.LogError(ex, "The readings stream failed; the node is not ready");
            readiness.Set("consumer", $"readings stream failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Starts every municipality the registry knows (a running one ignores this); each wakes its sensors in turn.
    /// </summary>
    private int WakeMunicipalities()
    {
        var municipalities = registry.Municipalities.Select(m => m.Id)
            .Union(registry.All.OfType<Contracts.Registry.SensorEntry>().Select(s => s.Municipality)).ToList();
        foreach (var id in municipalities) entities.Regions.Municipalities.Tell(new WakeMunicipality(id));
        return municipalities.Count;
    }

    /// <summary>
    /// An entity whose store failed stops, and nothing restarts it until a message arrives: a sensor with no more
    /// readings would never raise its staleness alert, a municipality never write its aggregate. Waking them all
    /// now and then restarts such entities once the store is back.
    /// </summary>
    private async Task KeepMunicipalitiesAwake(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(entities.Tuning.AggregateHeartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) WakeMunicipalities();
        }
        catch (OperationCanceledException) { }
    }

    private void UpdateAssignmentReadiness(IConsumerControl control)
    {
        if (control.Assignment.Count > 0) readiness.Met("consumer");
        else readiness.Set("consumer", "readings consumer has no partitions assigned");
    }

    /// <summary>External Kafka: the host does not create topics; a missing one keeps it not ready until it appears.</summary>
    private async Task WaitForTopics(CancellationToken stoppingToken)
    {
        if (kafka.IsEmbedded) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var missing = kafka.MissingTopics(options.Topics.All, TimeSpan.FromSeconds(10));
                if (missing.Count == 0)
                {
                    readiness.Met("topics");
                    return;
                }
                var reason = $"topics missing on {kafka.BootstrapServers}: {string.Join(", ", missing)} (provision them, or enable auto-creation)";
                readiness.Set("topics", reason);
                logger.LogWarning("Not ready: {Reason}", reason);
            }
            catch (Exception ex)
            {
                readiness.Set("topics", $"Kafka not reachable at {kafka.BootstrapServers}: {ex.Message}");
                logger.LogWarning("Not ready: Kafka not reachable at {Servers}: {Error}", kafka.BootstrapServers, ex.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Idempotent: stop consuming, finish and commit in-flight readings, close the consumers.</summary>
    public async Task DrainAsync()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 1)
        {
            await _drained.Task.ConfigureAwait(false);
            return;
        }
        try
        {
            if (_readings is not null)
            {
                logger.LogInformation("Draining: finishing in-flight readings and committing their offsets ...");
                await _readings.StopAsync().ConfigureAwait(false);
                await Task.WhenAny(_readingsDone, Task.Delay(TimeSpan.FromSeconds(20))).ConfigureAwait(false);
                await Task.WhenAny(_readings.Completion, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
                logger.LogInformation("Drained: {Applied} readings applied, {DeadLetters} dead letters in total", metrics.Applied, metrics.DeadLetters);
            }
            if (_registry is not null) await _registry.StopAsync().ConfigureAwait(false);
            await publisher.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _drained.TrySetResult();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await DrainAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
