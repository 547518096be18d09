using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;

namespace Streams.Host.Metrics;

/// <summary>Counts alert events by rule and state once Kafka acknowledged them; everything else passes through.</summary>
public sealed class MeteredOutputPublisher(IOutputPublisher inner, OutputTopics topics, PipelineMetrics metrics) : IOutputPublisher
{
    public async Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default)
    {
        await inner.PublishAsync(records, cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            if (record.Topic != topics.Alerts || record.Value is null) continue;
            try
            {
                var alert = ContractJson.Deserialize<AlertEvent>(record.Value);
                metrics.AlertPublished(alert.Data.Rule, alert.Data.State);
            }
            catch (System.Text.Json.JsonException)
            {
                metrics.AlertPublished("unreadable", "unknown");
            }
        }
    }
}
