using Streams.Actors.Kafka;

namespace Streams.Actors.Ingestion;

public sealed record ReadingsPipelineSettings(
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    InputTopics Topics,
    string DeadLetterTopic)
{
    /// <summary>Readings in flight towards entities at once (sent in stream order, finished in any order).</summary>
    public int Parallelism { get; init; } = 1024;

    /// <summary>How long to wait for an entity's acknowledgment before asking again (entities ignore duplicates).</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a retry waits for the acknowledgment (an entity that failed to recover never answers).</summary>
    public TimeSpan RetryAskTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause before the first retry; it doubles up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(5);
}
