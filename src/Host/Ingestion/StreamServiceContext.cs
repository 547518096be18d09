using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Placement;
using Streams.Actors.Registry;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>What the stream services (<see cref="RegistryService"/>, <see cref="ReadingsService"/>) share.</summary>
public sealed record StreamServiceContext(
    ActorSystem System,
    StreamsOptions Options,
    KafkaConnection Kafka,
    RegistryView Registry,
    EntityContext Entities,
    PipelineMetrics Metrics,
    Readiness Readiness,
    Liveness Liveness,
    NodeStartup Startup,
    SupervisionSettings Supervision,
    SensorLocality Locality)
{
    public StreamSupervisor Supervisor(string stream, string readinessCondition, ILogger logger) =>
        new(stream, readinessCondition, Supervision, Readiness, Liveness, Metrics, logger);
}
