using Streams.Actors.Ingestion;
using Streams.Actors.Publishing;
using Streams.Contracts.Outputs;

namespace Streams.Host.Metrics;

/// <summary>Counts alert events by rule and state once Kafka acknowledged them; everything else passes through.</summary>
public sealed class MeteredOutputPublisher(IOutputPublisher inner, PipelineMetrics metrics) : IOutputPublisher
{
    public async Task PublishAlertsAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken = default)
    {
        await inner.PublishAlertsAsync(alerts, cancellationToken).ConfigureAwait(false);
        foreach (var alert in alerts) metrics.AlertPublished(alert.Data.Rule, alert.Data.State);
    }

    public Task PublishAggregateAsync(MunicipalityAggregate aggregate, CancellationToken cancellationToken = default) =>
        inner.PublishAggregateAsync(aggregate, cancellationToken);

    public Task PublishDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default) =>
        inner.PublishDeadLetterAsync(deadLetter, cancellationToken);
}
