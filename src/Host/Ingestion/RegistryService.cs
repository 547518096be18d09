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
    private readonly StreamServiceContext _ctx;
    private readonly IOutputPublisher _publisher;
    private readonly MunicipalityWaker _waker;
    private readonly ILogger<RegistryService> _logger;
    private readonly StreamSupervisor _supervisor;
    private volatile IConsumerControl? _control;

    public RegistryService(StreamServiceContext ctx, IOutputPublisher publisher, ILogger<RegistryService> logger)
    {
        (_ctx, _publisher, _logger) = (ctx, publisher, logger);
        _waker = new MunicipalityWaker(ctx.Registry, ctx.Entities);
        _supervisor = ctx.Supervisor("registry", Condition, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _ctx.Startup.WaitAsync(stoppingToken).ConfigureAwait(false);
        _ctx.Registry.Changed += new RegistryChangeRouter(_ctx.Registry, _ctx.Entities.Regions).Route;
        var materializer = _ctx.System.Materializer(namePrefix: "registry");
        var log = Logging.GetLogger(_ctx.System, "registry");
        var consumer = IngestionSettings.RegistryConsumer(_ctx.Options, _ctx.Kafka);
        _ = AfterFirstLoad(stoppingToken);
        _logger.LogInformation("Reading the registry from {Topic} ...", _ctx.Options.Topics.Registry);
        await _supervisor.RunAsync(
            () => new RegistryPipeline(consumer, _ctx.Options.Topics.Registry, new RecordValidator(TimeProvider.System), _ctx.Registry,
                _publisher, _ctx.Metrics, log).Run(materializer),
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
        if (!_ctx.Registry.IsLoaded) _ctx.Readiness.Set(Condition, "registry not read to its end yet");
        // After a restart the view is already loaded: the stream works again once it has its partitions.
        control.AssignmentChanged += _ => MetIfWorking(control);
        MetIfWorking(control);
    }

    private void MetIfWorking(IConsumerControl control)
    {
        if (_ctx.Registry.IsLoaded && control.Assignment.Count > 0) _ctx.Readiness.Met(Condition);
    }

    private async Task AfterFirstLoad(CancellationToken stoppingToken)
    {
        try
        {
            await _ctx.Registry.Loaded.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _ctx.Readiness.Met(Condition);
        var municipalities = _waker.WakeAll();
        _logger.LogInformation("Registry loaded: {Entries} entries; {Municipalities} municipalities started", _ctx.Registry.Count, municipalities);
        await _waker.KeepAwakeAsync(stoppingToken).ConfigureAwait(false);
    }
}
