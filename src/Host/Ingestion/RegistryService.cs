using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Contracts.Validation;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>
/// Owns the registry stream: reads <c>streams.registry</c> into this node's <see cref="RegistryView"/>, restarts it
/// when it fails (it reads the compacted topic from the beginning again; entries are idempotent, dead letters keep
/// their ids), and reports it as readiness condition "registry". Tombstones retire sensors. Once the registry is
/// loaded the first time, municipalities are started and kept awake.
/// </summary>
public sealed class RegistryService : BackgroundService
{
    public const string Condition = "registry";
    private readonly ActorSystem _system;
    private readonly StreamsOptions _options;
    private readonly KafkaConnection _kafka;
    private readonly RegistryView _registry;
    private readonly EntityContext _entities;
    private readonly IOutputPublisher _publisher;
    private readonly PipelineMetrics _metrics;
    private readonly Readiness _readiness;
    private readonly NodeStartup _startup;
    private readonly MunicipalityWaker _waker;
    private readonly ILogger<RegistryService> _logger;
    private readonly StreamSupervisor _supervisor;
    private volatile IConsumerControl? _control;

    public RegistryService(ActorSystem system, StreamsOptions options, KafkaConnection kafka, RegistryView registry,
        EntityContext entities, IOutputPublisher publisher, PipelineMetrics metrics, Readiness readiness, Liveness liveness,
        NodeStartup startup, SupervisionSettings supervision, ILogger<RegistryService> logger)
    {
        (_system, _options, _kafka, _registry, _entities, _publisher, _metrics, _readiness, _startup, _logger) =
            (system, options, kafka, registry, entities, publisher, metrics, readiness, startup, logger);
        _waker = new MunicipalityWaker(registry, entities);
        _supervisor = new StreamSupervisor("registry", Condition, supervision, readiness, liveness, metrics, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _startup.WaitAsync(stoppingToken).ConfigureAwait(false);
        _registry.Changed += RetireRemovedSensor;
        var materializer = _system.Materializer(namePrefix: "registry");
        var log = Logging.GetLogger(_system, "registry");
        var consumer = IngestionSettings.RegistryConsumer(_options, _kafka);
        _ = AfterFirstLoad(stoppingToken);
        _logger.LogInformation("Reading the registry from {Topic} ...", _options.Topics.Registry);
        await _supervisor.RunAsync(
            () => new RegistryPipeline(consumer, _options.Topics.Registry, new RecordValidator(TimeProvider.System), _registry,
                _publisher, _metrics, log).Run(materializer),
            Watch,
            stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Stops the registry stream (drain: after the readings, which need it).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _supervisor.Stopping();
        if (_control is { } control)
        {
            await control.StopAsync().ConfigureAwait(false);
            await Task.WhenAny(control.Completion, Task.Delay(timeout)).ConfigureAwait(false);
        }
    }

    private void Watch(IConsumerControl control)
    {
        _control = control;
        if (!_registry.IsLoaded) _readiness.Set(Condition, "registry not read to its end yet");
        // After a restart the view is already loaded: the stream works again once it has its partitions.
        control.AssignmentChanged += _ => MetIfWorking(control);
        MetIfWorking(control);
    }

    private void MetIfWorking(IConsumerControl control)
    {
        if (_registry.IsLoaded && control.Assignment.Count > 0) _readiness.Met(Condition);
    }

    private async Task AfterFirstLoad(CancellationToken stoppingToken)
    {
        try
        {
            await _registry.Loaded.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _readiness.Met(Condition);
        var municipalities = _waker.WakeAll();
        _logger.LogInformation("Registry loaded: {Entries} entries; {Municipalities} municipalities started", _registry.Count, municipalities);
        await _waker.KeepAwakeAsync(stoppingToken).ConfigureAwait(false);
    }

    private void RetireRemovedSensor(RegistryChange change)
    {
        if (change.Removed && change.Kind != SubjectKind.Municipality)
            _entities.Regions.Sensors(change.Kind).Tell(new RetireSensor(change.Id));
    }
}
