using Streams.Contracts.Outputs;

namespace Streams.Actors.Publishing;

/// <summary>
/// Writes output records (alerts, aggregates, dead letters); a task completes when all its records are acknowledged
/// by Kafka, and fails (the caller retries) when they are not, at the latest after the publisher's timeout.
/// </summary>
public interface IOutputPublisher
{
    /// <summary>A subject's alerts, in order, as one publication.</summary>
    Task PublishAlertsAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken = default);

    Task PublishAggregateAsync(MunicipalityAggregate aggregate, CancellationToken cancellationToken = default);

    Task PublishDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default);
}
