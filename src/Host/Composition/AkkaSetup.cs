using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
using Streams.Actors.Serialization;
using Streams.Contracts;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Host.Composition;

/// <summary>The actor system: remoting, clustering, SQL persistence, the project's serializer, and one shard region per kind.</summary>
public static class AkkaSetup
{
    public const string SystemName = "streams";
    private const int MaxShards = 100;

    public static IServiceCollection AddStreamsAkka(this IServiceCollection services, StreamsOptions options, ClusterFormationOptions? formation = null)
    {
        formation ??= new ClusterFormationOptions();
        services.AddAkka(SystemName, (builder, provider) =>
        {
            var ctx = provider.GetRequiredService<EntityContext>();
            // Quiet sensors sleep (their state is durable; the municipality's due-time index wakes them for their
            // staleness check), so memory follows the active set, not every subject ever seen. The stop message lets
            // an entity finish its write and publication before a hand-off or passivation completes.
            var shardOptions = new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                ShouldPassivateIdleEntities = true,
                PassivateIdleEntityAfter = ctx.Tuning.PassivateIdleAfter,
                HandOffStopMessage = StopEntity.Instance,
            };
            // Municipalities are few and hold the live aggregates and due-time indexes: they stay up.
            var municipalityOptions = new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                ShouldPassivateIdleEntities = false,
                HandOffStopMessage = StopEntity.Instance,
            };

            builder
                .ConfigureLoggers(l =>
                {
                    l.LogLevel = Akka.Event.LogLevel.InfoLevel;
                    l.ClearLoggers();
                    l.AddLoggerFactory();
                })
                .WithStreamsClustering(options, formation)
                // The drain runs in this phase; Akka's 5 s default would cut it short (also when Akka starts the shutdown).
                .AddHocon($"akka.coordinated-shutdown.phases.service-requests-done.timeout = {(int)IngestionSettings.Drain(options).PhaseTimeout.TotalSeconds}s",
                    HoconAddMode.Prepend)
                .WithStreamsPersistence(options)
                .WithCustomSerializer("streams-json", [typeof(IStreamsMessage)], system => new StreamsJsonSerializer(system))
                .WithShardRegion<SensorRegion<PegelMarker>>("sensor-pegel",
                    id => SensorEntity.Props(SubjectKind.Pegel, id, ctx), new SensorMessageExtractor(MaxShards), shardOptions)
                .WithShardRegion<SensorRegion<ParkingMarker>>("sensor-parking",
                    id => SensorEntity.Props(SubjectKind.Parking, id, ctx), new SensorMessageExtractor(MaxShards), shardOptions)
                .WithShardRegion<SensorRegion<BusMarker>>("sensor-bus",
                    id => SensorEntity.Props(SubjectKind.Bus, id, ctx), new SensorMessageExtractor(MaxShards), shardOptions)
                .WithShardRegion<MunicipalityRegion>("municipality",
                    id => MunicipalityEntity.Props(id, ctx), new MunicipalityMessageExtractor(MaxShards), municipalityOptions)
                .WithActors((system, registry) =>
                {
                    ctx.Regions.Set(SubjectKind.Pegel, registry.Get<SensorRegion<PegelMarker>>());
                    ctx.Regions.Set(SubjectKind.Parking, registry.Get<SensorRegion<ParkingMarker>>());
                    ctx.Regions.Set(SubjectKind.Bus, registry.Get<SensorRegion<BusMarker>>());
                    ctx.Regions.Set(SubjectKind.Municipality, registry.Get<MunicipalityRegion>());
                    if (ClusterFormation.JoinsItself(options, formation))
                    {
                        var cluster = Akka.Cluster.Cluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                });
        });
        return services;
    }

    public static IServiceCollection AddEntityContext(this IServiceCollection services, StreamsOptions options)
    {
        services.AddSingleton(IngestionSettings.OutputTopics(options));
        services.AddSingleton(sp => new EntityContext(
            sp.GetRequiredService<RegistryView>(),
            sp.GetRequiredService<IOutputPublisher>(),
            sp.GetRequiredService<OutputTopics>(),
            TimeProvider.System,
            new EntityTuning { PassivateIdleAfter = TimeSpan.FromSeconds(options.Entities.PassivateIdleAfterSeconds) },
            sp.GetRequiredService<PipelineMetrics>()));
        return services;
    }

    // Keys for the ActorRegistry: one shard region per kind.
    public sealed class SensorRegion<TKind>;
    public sealed class PegelMarker;
    public sealed class ParkingMarker;
    public sealed class BusMarker;
    public sealed class MunicipalityRegion;
}
