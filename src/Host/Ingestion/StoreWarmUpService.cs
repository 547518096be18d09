using System.Diagnostics;
using Akka;
using Akka.Actor;
using Streams.Actors.Persistence;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>
/// At start, runs <see cref="StoreWarmUp"/> once against the journal and snapshot store, beside the streams' own start
/// (nothing waits for it but readiness, condition "store"). Until it has passed, the node is not ready; a store that
/// refuses the write is tried again every few seconds, with the reason in readiness and the log. The persistence id is
/// the node's own, so that nodes of one cluster never write to the same one.
/// </summary>
public sealed class StoreWarmUpService(ActorSystem system, Readiness readiness, ILogger<StoreWarmUpService> logger) : BackgroundService
{
    public const string Condition = "store";
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>A guard, not a pace: a store that neither answers nor fails within this is reported and tried again.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        var persistenceId = $"streams-warm-up-{self.Host}-{self.Port}";
        while (!stoppingToken.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await Run(persistenceId, recoverOnly: false, stoppingToken).ConfigureAwait(false);
                await Run(persistenceId, recoverOnly: true, stoppingToken).ConfigureAwait(false);
                readiness.Met(Condition);
                logger.LogInformation("Journal and snapshot store took the start-up write, snapshot, deletes and recovery in {Ms} ms",
                    clock.ElapsedMilliseconds);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var reason = $"journal or snapshot store failed the start-up write ({ex.GetBaseException().Message}); trying again in {RetryAfter.TotalSeconds:0} s";
                readiness.Set(Condition, reason);
                logger.LogWarning("Not ready: {Reason}", reason);
            }
            await Task.Delay(RetryAfter, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task Run(string persistenceId, bool recoverOnly, CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(StoreWarmUp.Props(persistenceId, recoverOnly, done));
        try
        {
            await done.Task.WaitAsync(GiveUpAfter, stoppingToken).ConfigureAwait(false);
        }
        catch
        {
            actor.Tell(PoisonPill.Instance);
            throw;
        }
    }
}
