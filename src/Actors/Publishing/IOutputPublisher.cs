using Streams.Actors.Kafka;

namespace Streams.Actors.Publishing;

/// <summary>Writes output records (alerts, aggregates, dead letters); the task completes when all are acknowledged by Kafka.</summary>
public interface IOutputPublisher
{
    Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default);
}
