using Streams.Actors.Ingestion;
using Streams.Host.Ingestion;

namespace Streams.Host.Status;

/// <summary>
/// Readiness conditions that come and go while the node runs: "kafka" (the readings consumer has no broker connection)
/// and "persistence" (the journal fails). Neither stops anything: librdkafka reconnects and the pipeline retries
/// unacknowledged readings by itself; the node only says it cannot work now, and why, and says when it can again.
/// </summary>
public sealed class HealthWatch(
    ReadingsService readings,
    PipelineMetrics metrics,
    Readiness readiness,
    ILogger<HealthWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Update("kafka", readings.Control?.BrokerProblem, "Kafka reachable again");
                Update("persistence", metrics.StoreProblem, "journal writes succeed again");
                Update("subjects", FailingSubjectsReport.Problem(metrics.FailingSubjects, DateTimeOffset.UtcNow, FailingSubjectsReport.Grace),
                    "every subject's readings are stored again");
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Update(string condition, string? problem, string recovered)
    {
        var was = readiness.Unmet.GetValueOrDefault(condition);
        readiness.Set(condition, problem);
        if (problem is not null && was is null) logger.LogWarning("Not ready: {Reason}", problem);
        else if (problem is null && was is not null) logger.LogInformation("Ready again: {What}", recovered);
    }
}
