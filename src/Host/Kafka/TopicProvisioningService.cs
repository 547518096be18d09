using Streams.Host.Configuration;

namespace Streams.Host.Kafka;

/// <summary>
/// At start against an external Kafka (when <c>Streams:Kafka:CreateTopics</c> is on): creates missing contract
/// topics. A refusal is logged with the broker's reason and not retried; the node then stays not ready with the
/// missing topics named, as without provisioning. An unreachable broker is retried.
/// </summary>
public sealed class TopicProvisioningService(
    StreamsOptions options,
    TopicProvisioningOptions provisioning,
    TopicProvisioner provisioner,
    ILogger<TopicProvisioningService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var plan = TopicPlan.For(options, provisioning);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await provisioner.CreateMissingAsync(plan);
                if (result.Created.Count > 0) logger.LogInformation("Created topics: {Topics}", string.Join(", ", result.Created));
                if (result.Failed.Count > 0)
                    logger.LogWarning("The broker refused to create topics (provision them, or grant CREATE): {Failures}", string.Join("; ", result.Failed));
                return;
            }
            catch (Exception ex) when (ex is Confluent.Kafka.KafkaException)
            {
                logger.LogWarning("Could not provision topics yet: {Error}", ex.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
        }
    }
}

public static class TopicProvisioningSetup
{
    /// <summary>The plan's options for the admin endpoint; creation at start only against an external Kafka that allows it.</summary>
    public static IServiceCollection AddTopicProvisioning(this IServiceCollection services, IConfiguration configuration, KafkaConnection kafka)
    {
        var provisioning = TopicProvisioningOptions.From(configuration);
        services.AddSingleton(provisioning);
        if (!kafka.IsEmbedded && provisioning.CreateTopics) services.AddHostedService<TopicProvisioningService>();
        return services;
    }
}
