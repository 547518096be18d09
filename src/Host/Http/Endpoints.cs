using Streams.Actors.Ingestion;
using Streams.Actors.Placement;
using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Host.Configuration;
using Streams.Host.Ingestion;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Http;

/// <summary>Health probes, status and the registry.</summary>
public static class Endpoints
{
    public static WebApplication MapStreamsEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz/live", (Liveness liveness) => liveness.IsLive
            ? Results.Ok(new { live = true })
            : Results.Json(new { live = false, reasons = liveness.Reasons }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/healthz/ready", (Readiness readiness) => readiness.IsReady
            ? Results.Ok(new { ready = true })
            : Results.Json(new { ready = false, unmet = readiness.Unmet }, statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapGet("/api/status", (PipelineMetrics m, RegistryView registry, KafkaConnection kafka, StreamsOptions options,
            ReadingsService readings, Readiness readiness, PlacementMetrics placement) => Results.Ok(new
        {
            ready = readiness.IsReady,
            unmet = readiness.Unmet,
            kafka = new { bootstrapServers = kafka.BootstrapServers, embedded = kafka.IsEmbedded },
            dataDir = options.FullDataDir,
            registryEntries = registry.Count,
            registryLoaded = registry.IsLoaded,
            consumed = m.ConsumedPerTopic,
            applied = m.Applied,
            duplicates = m.Duplicates,
            alerts = m.Alerts,
            deadLetters = m.DeadLettersPerReason,
            entities = m.LiveEntities,
            sensorsPassivatedForLimit = m.SensorsPassivatedForLimit,
            // Snapshots owed by stopping sensors: skipped ones mean a later wake replays more (Streams:Entities:StopSnapshotsInFlight).
            stopSnapshots = new { taken = m.StopSnapshotsTaken, skipped = m.StopSnapshotsSkipped },
            streamRestarts = m.StreamRestarts,
            // Subjects whose readings are being asked again (their partitions' commits wait for them), longest first.
            failingSubjects = m.FailingSubjects.Select(f => new { subject = f.Subject, since = f.Since, attempts = f.Attempts, problem = f.Problem }),
            lag = StatusReporter.LagTotal(readings),
            // Readings whose entity lived on another node when they were routed (partition-aware placement keeps it low).
            routing = new { local = placement.Local, remote = placement.Remote, remoteShare = placement.RemoteShare, partitionMismatches = placement.Mismatched },
            // Process-wide since start: the benchmark turns the difference between two readings into bytes per reading.
            runtime = new
            {
                allocatedBytes = GC.GetTotalAllocatedBytes(precise: false),
                gcCollections = new { gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2) },
                gcPauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
                gc = GcFigures.Now(),
            },
        }));

        app.MapGet("/api/registry", (RegistryView registry) => Results.Ok(registry.All.Select(e => new { kind = e.Kind.ToWire(), id = e.Id, entry = (object)e })));

        // /api/sensors/{kind}/{id} and /api/municipalities/{id} are part of the read API (ReadApi): registry-checked,
        // so that a GET for an unknown id cannot start an entity.

        return app;
    }
}
