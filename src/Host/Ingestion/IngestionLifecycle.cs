using Akka.Actor;
using Streams.Actors.Publishing;

namespace Streams.Host.Ingestion;

/// <summary>
/// Starts the output publisher and owns the drain. The drain is a CoordinatedShutdown task (phase
/// service-requests-done, whose timeout is the drain budget plus a margin), so it runs however the node goes down:
/// Ctrl+C and SIGTERM (this service stops first, being registered after the stream services), or Akka leaving or
/// being downed. In order: the readings (in-flight readings finish, which includes writing their alerts; offsets are
/// committed; the consumer leaves its group), then the registry, then the publisher (what is still queued).
/// </summary>
public sealed class IngestionLifecycle(
    ActorSystem system,
    KafkaOutputPublisher publisher,
    ReadingsService readings,
    RegistryService registry,
    DrainBudget budget,
    ILogger<IngestionLifecycle> logger) : IHostedService
{
    private readonly Lazy<Task> _drain = new(() => DrainOnceAsync(readings, registry, publisher, budget, logger));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        publisher.Start(system);
        var phase = system.Settings.Config.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout");
        logger.LogInformation("Drain budget {Budget:0.#} s; shutdown phase service-requests-done times out after {Phase:0.#} s",
            budget.Total.TotalSeconds, phase.TotalSeconds);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-ingestion", async () =>
        {
            await DrainAsync().ConfigureAwait(false);
            return Akka.Done.Instance;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync();

    /// <summary>Idempotent: every caller waits for the one drain.</summary>
    public Task DrainAsync() => _drain.Value;

    private static async Task DrainOnceAsync(ReadingsService readings, RegistryService registry, KafkaOutputPublisher publisher,
        DrainBudget budget, ILogger logger)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await readings.DrainAsync(budget).ConfigureAwait(false);
        await registry.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        // Only now: readings waiting for their alerts are done. The publisher gets what is left, at least its share.
        var left = budget.Total - started.Elapsed;
        await publisher.StopAsync(left > budget.Publisher ? left : budget.Publisher).ConfigureAwait(false);
        logger.LogInformation("Drain done in {Seconds:0.#} s (budget {Budget:0.#} s)", started.Elapsed.TotalSeconds, budget.Total.TotalSeconds);
    }
}
