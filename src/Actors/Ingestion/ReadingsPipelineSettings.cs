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
}
