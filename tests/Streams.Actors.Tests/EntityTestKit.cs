using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Registry;
using Streams.Contracts;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>An actor system with in-memory journal and snapshots, a recording publisher and a probe for municipalities.</summary>
public abstract class EntityTestKit(ITestOutputHelper output) : TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    protected readonly RecordingPublisher Publisher = new();
    protected readonly RegistryView Registry = new();
    protected static readonly OutputTopics Topics = new("alerts", "aggregates", "deadletter");

    protected EntityContext NewContext(EntityTuning? tuning = null) =>
        new(Registry, Publisher, Topics, TimeProvider.System, tuning ?? new EntityTuning(), new PipelineMetrics());

    protected IActorRef Sensor(EntityContext ctx, SubjectKind kind, string id) =>
        Sys.ActorOf(SensorEntity.Props(kind, id, ctx));
}
