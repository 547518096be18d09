using Streams.Actors.Kafka;

namespace Streams.Actors.Ingestion;

public sealed record ReadingsPipelineSettings(
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    InputTopics Topics,
    string DeadLetterTopic)
{
    public const int DefaultMaxBatch = 1000;
    public const int DefaultBatchWindowMs = 10;
    public const int DefaultBatchesInFlight = 4;

    /// <summary>Records taken from the source into one batch (one command per subject in it).</summary>
    public int MaxBatch { get; init; } = DefaultMaxBatch;

    /// <summary>How long a batch waits to fill before it goes as it is.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(DefaultBatchWindowMs);

    /// <summary>Batches in flight at once: with <see cref="MaxBatch"/>, the bound on records in flight.</summary>
    public int BatchesInFlight { get; init; } = DefaultBatchesInFlight;

    /// <summary>
    /// How long to wait for an entity's acknowledgment before asking again (entities ignore duplicates). In-flight work
    /// is bounded, so a busy node answers well within it; it catches an entity that died without answering.
    /// </summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a retry waits for the acknowledgment (an entity that failed to recover never answers).</summary>
    public TimeSpan RetryAskTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause before the first retry; it doubles up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(5);
}
