using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Registry;
using Streams.Contracts;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>An actor system with an in-memory journal and file snapshots (both through the project's serializer), a recording publisher.</summary>
public abstract class EntityTestKit(ITestOutputHelper output) : TestKit(CreateConfig(), output: output)
{
    // Each test its own snapshot directory: persistence ids repeat across tests.
    private static Config CreateConfig() => ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        # CI runs the test assemblies side by side on two cores: an entity's first answer (recovery, write,
        # publication) can take seconds there. Waits that expect something get room; waits for silence are explicit.
        akka.test.single-expect-default = 15s
        # Events and snapshots go through the project's serializer on their way to the stores, so recovery in these
        # tests reads what the serializer wrote, as with a real journal.
        akka.actor.serializers.streams-json = "Streams.Actors.Serialization.StreamsJsonSerializer, Streams.Actors"
        akka.actor.serialization-bindings { "Streams.Actors.Entities.IStreamsMessage, Streams.Actors" = streams-json }
        akka.persistence.journal.plugin = "akka.persistence.journal.serializing-inmem"
        akka.persistence.journal.serializing-inmem {
            class = "Streams.Actors.Tests.SerializingMemoryJournal, Streams.Actors.Tests"
            plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.local"
        akka.persistence.snapshot-store.local.dir = "{{SNAPSHOTS}}"
        """.Replace("{{SNAPSHOTS}}", Path.Combine(Path.GetTempPath(), "streams-actor-tests", Guid.NewGuid().ToString("N"))));

    protected readonly RecordingPublisher Publisher = new();
    protected readonly RegistryView Registry = new();
    protected static readonly OutputTopics Topics = new("alerts", "aggregates", "deadletter");

    protected EntityContext NewContext(EntityTuning? tuning = null) =>
        new(Registry, Publisher, Topics, TimeProvider.System, tuning ?? new EntityTuning(), new PipelineMetrics());

    protected IActorRef Sensor(EntityContext ctx, SubjectKind kind, string id) =>
        Sys.ActorOf(SensorEntity.Props(kind, id, ctx));
}
