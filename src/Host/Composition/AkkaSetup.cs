using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Placement;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
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
            var placement = provider.GetRequiredService<SensorPlacement>();
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
                .WithStreamsSerialization(options)
                .WithShardRegion<MunicipalityRegion>(RegionNames.Municipality,
                    id => MunicipalityEntity.Props(id, ctx), new MunicipalityMessageExtractor(MaxShards), municipalityOptions)
                .WithActors((system, registry) =>
                {
                    var sensorSettings = SensorShardSettings(system, ctx.Tuning);
                    foreach (var kind in RegionNames.SensorKinds)
                        ctx.Regions.Set(kind, StartSensorRegion(system, kind, ctx, placement, sensorSettings, options.Kafka.PartitionAwarePlacement));
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
        services.AddSingleton(new SensorPlacement(options.Kafka.ReadingPartitions, options.Kafka.Partitioner));
        services.AddSingleton<LocalShards>();
        services.AddSingleton(sp => new PlacementMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<SensorLocality>();
        services.AddSingleton(IngestionSettings.OutputTopics(options));
        services.AddSingleton(sp => new EntityContext(
            sp.GetRequiredService<RegistryView>(),
            sp.GetRequiredService<IOutputPublisher>(),
            sp.GetRequiredService<OutputTopics>(),
            TimeProvider.System,
            new EntityTuning
            {
                PassivateIdleAfter = TimeSpan.FromSeconds(options.Entities.PassivateIdleAfterSeconds),
                WakesPerSecond = options.Entities.WakesPerSecond,
                MaxLiveSensors = options.Entities.MaxLiveSensors,
                SnapshotOnStopAfter = options.Entities.SnapshotOnStopAfter,
                StopSnapshotsInFlight = options.Entities.StopSnapshotsInFlight,
            },
            sp.GetRequiredService<PipelineMetrics>()));
        return services;
    }

    /// <summary>
    /// A sensor region whose shard p holds the sensors whose key maps to partition p of the kind's readings topic; with
    /// <c>Streams:Kafka:PartitionAwarePlacement</c> shard p lives on the node that consumes that partition
    /// (<see cref="ShardLocationUpdater"/> claims it there; Akka.Hosting's WithShardRegion only offers the default
    /// allocation strategy; on by default). Quiet sensors sleep (their state is durable; the municipality's
    /// due-time index wakes them for their staleness check), so memory follows the active set, not every subject ever
    /// seen. The stop message lets an entity finish its write and publication before a hand-off or passivation completes.
    /// </summary>
    private static IActorRef StartSensorRegion(ActorSystem system, SubjectKind kind, EntityContext ctx, SensorPlacement placement,
        ClusterShardingSettings settings, bool partitionAware)
    {
        var typeName = RegionNames.Of(kind);
        var sharding = ClusterSharding.Get(system);
        var allocation = partitionAware ? new PartitionAwareAllocation(system, typeName) : sharding.DefaultShardAllocationStrategy(settings);
        return sharding.Start(typeName, id => SensorEntity.Props(kind, id, ctx), settings,
            new SensorMessageExtractor(placement), allocation, StopEntity.Instance);
    }

    private static ClusterShardingSettings SensorShardSettings(ActorSystem system, EntityTuning tuning) =>
        ClusterShardingSettings.Create(system)
            .WithStateStoreMode(StateStoreMode.DData)
            .WithRememberEntities(false)
            .WithPassivateIdleAfter(tuning.PassivateIdleAfter);

    /// <summary>Key for the ActorRegistry.</summary>
    public sealed class MunicipalityRegion;
}
