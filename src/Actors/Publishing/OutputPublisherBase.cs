using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Contracts.Outputs;

namespace Streams.Actors.Publishing;

/// <summary>The typed publications, built once by <see cref="OutputRecords"/>; subclasses only write records.</summary>
public abstract class OutputPublisherBase(OutputTopics topics) : IOutputPublisher
{
    protected OutputTopics Topics { get; } = topics;

    public Task PublishAlertsAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken = default) =>
        PublishAsync(alerts.Select(a => OutputRecords.Alert(Topics, a)).ToList(), cancellationToken);

    public Task PublishAggregateAsync(MunicipalityAggregate aggregate, CancellationToken cancellationToken = default) =>
        PublishAsync([OutputRecords.Aggregate(Topics, aggregate)], cancellationToken);

    public Task PublishDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default) =>
        PublishAsync([OutputRecords.DeadLetter(Topics.DeadLetter, deadLetter)], cancellationToken);

    /// <summary>Writes records built by <see cref="OutputRecords"/>; completes once Kafka acknowledged all of them.</summary>
    public abstract Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default);
}
