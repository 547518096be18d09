using Streams.Actors.Kafka;

namespace Streams.Actors.Ingestion;

public sealed record ReadingsPipelineSettings(
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    InputTopics Topics,
    string DeadLetterTopic)
{
    /// <summary>
    /// A batch holds at most this many records. It is only large when records are waiting: at ordinary rates a batch
    /// goes after <see cref="BatchWindow"/> with what arrived; in a backlog, or while the entities are busy, the records
    /// are already there and it fills. A large batch holds several readings of each subject, which then cost one
    /// command, one event and one acknowledgment together (docs/performance.md, eighth round).
    /// </summary>
    public const int DefaultMaxBatch = 50_000;
    public const int DefaultBatchWindowMs = 10;
    public const int DefaultSubjectsInFlight = 1000;

    /// <summary>Records taken from the source into one batch (one command per subject in it).</summary>
    /// <remarks>The records of this batch and of the one filling behind it are held in memory.</remarks>
    public int MaxBatch { get; init; } = DefaultMaxBatch;

    /// <summary>How long a batch waits to fill before it goes as it is.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(DefaultBatchWindowMs);

    /// <summary>
    /// Subject batches in flight towards entities at once (each one ask, one journal write). This bounds the work the
    /// journal is given: beyond it the source stops pulling and the consumer pauses.
    /// </summary>
    public int SubjectsInFlight { get; init; } = DefaultSubjectsInFlight;

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

    /// <summary>
    /// A reading of a subject the registry does not know, written moments ago, waits at most this long for the
    /// registry to be read past its write time (its entry, written just before it, may still be on its way).
    /// </summary>
    public TimeSpan RegistryWaitLimit { get; init; } = TimeSpan.FromSeconds(5);
}
