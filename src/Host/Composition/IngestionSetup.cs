using Streams.Actors.Publishing;
using Streams.Host.Configuration;
using Streams.Host.Ingestion;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Composition;

/// <summary>The output publisher and the stream services. Register after the actor system: hosted services stop in
/// reverse order, and the drain (<see cref="IngestionLifecycle"/>) must run before the streams are cancelled.</summary>
public static class IngestionSetup
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, StreamsOptions options, KafkaConnection kafka)
    {
        services.AddSingleton<Liveness>();
        services.AddSingleton(IngestionSettings.Drain(options));
        services.AddSingleton(new SupervisionSettings());
        services.AddSingleton(sp => new KafkaOutputPublisher(kafka.Producer(), IngestionSettings.OutputTopics(options),
            metrics: sp.GetRequiredService<Actors.Ingestion.PipelineMetrics>()));
        // Entities publish through the meter that counts alerts by rule and state.
        services.AddSingleton<IOutputPublisher>(sp => new Metrics.MeteredOutputPublisher(
            sp.GetRequiredService<KafkaOutputPublisher>(), sp.GetRequiredService<Actors.Ingestion.PipelineMetrics>()));
        services.AddSingleton<NodeStartup>();
        services.AddSingleton<StreamServiceContext>();
        services.AddSingleton<RegistryService>();
        services.AddSingleton<ReadingsService>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryService>());
        services.AddHostedService(sp => sp.GetRequiredService<ReadingsService>());
        services.AddHostedService<IngestionLifecycle>();
        services.AddHostedService<LocalShardsRefresh>();
        services.AddHostedService<StoreWarmUpService>();
        return services;
    }
}
