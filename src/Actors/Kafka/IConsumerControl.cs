using Confluent.Kafka;

namespace Streams.Actors.Kafka;

/// <summary>The materialized value of a source: its assignment, lag, and a graceful stop.</summary>
public interface IConsumerControl
{
    /// <summary>Partitions currently assigned to this consumer.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>Raised on the consumer thread after partitions are assigned or revoked.</summary>
    event Action<AssignmentChange>? AssignmentChanged;

    /// <summary>Per assigned partition: high watermark minus the next offset to consume (when known).</summary>
    IReadOnlyDictionary<TopicPartition, long> Lag();

    /// <summary>
    /// Null while the consumer is connected to a broker; otherwise why not (e.g. every broker down for a few
    /// seconds). librdkafka retries by itself, so this is for readiness and logs, not for stopping the stream.
    /// </summary>
    string? BrokerProblem { get; }

    /// <summary>Stops emitting new records; the stream completes once in-flight elements are through.</summary>
    Task StopAsync();

    /// <summary>Completes when the consumer is closed (after the stream completed and the last commit).</summary>
    Task Completion { get; }
}

public sealed record AssignmentChange(IReadOnlyList<TopicPartition> Assigned, IReadOnlyList<TopicPartition> Revoked);
