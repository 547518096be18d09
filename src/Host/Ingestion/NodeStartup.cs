using Akka.Actor;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>
/// What every stream waits for before it starts: this node is an Up cluster member, and (external Kafka) every
/// topic exists. Both are readiness conditions ("cluster", "topics"). Runs once, shared by the stream services.
/// </summary>
public sealed class NodeStartup(
    ActorSystem system,
    StreamsOptions options,
    KafkaConnection kafka,
    Readiness readiness,
    ILogger<NodeStartup> logger)
{
    private Task? _run;
    private readonly object _gate = new();

    public Task WaitAsync(CancellationToken stoppingToken)
    {
        lock (_gate) _run ??= RunAsync(stoppingToken);
        return _run.WaitAsync(stoppingToken);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        readiness.Met("cluster");
        var journal = system.Settings.Config.GetConfig("akka.persistence.journal.sql");
        logger.LogInformation("Journal: {Provider}, {Writers} writer(s), batches up to {Batch} events",
            journal?.GetString("provider-name"), journal?.GetInt("parallelism"), journal?.GetInt("batch-size"));
        await WaitForTopics(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>External Kafka: the host does not create topics; a missing one keeps it not ready until it appears.</summary>
    private async Task WaitForTopics(CancellationToken stoppingToken)
    {
        if (kafka.IsEmbedded) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var missing = kafka.MissingTopics(options.Topics.All, TimeSpan.FromSeconds(10));
                if (missing.Count == 0)
                {
                    readiness.Met("topics");
                    return;
                }
                var reason = $"topics missing on {kafka.BootstrapServers}: {string.Join(", ", missing)} (provision them, or enable auto-creation)";
                readiness.Set("topics", reason);
                logger.LogWarning("Not ready: {Reason}", reason);
            }
            catch (Exception ex)
            {
                readiness.Set("topics", $"Kafka not reachable at {kafka.BootstrapServers}: {ex.Message}");
                logger.LogWarning("Not ready: Kafka not reachable at {Servers}: {Error}", kafka.BootstrapServers, ex.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
        }
    }
}
