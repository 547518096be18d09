using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Host.Configuration;
using Streams.Host.Ingestion;
using Streams.Host.Kafka;

namespace Streams.Host.Composition;

/// <summary>Configuration (<see cref="StreamsOptions"/>) → the settings of the pipelines, the publisher and the drain.</summary>
public static class IngestionSettings
{
    public static InputTopics InputTopics(StreamsOptions options) =>
        new(options.Topics.Registry, options.Topics.Pegel, options.Topics.Parking, options.Topics.Bus);

    public static OutputTopics OutputTopics(StreamsOptions options) =>
        new(options.Topics.Alerts, options.Topics.Aggregates, options.Topics.DeadLetter);

    public static DrainBudget Drain(StreamsOptions options) => DrainBudget.Of(TimeSpan.FromSeconds(Math.Max(1, options.Shutdown.DrainSeconds)));

    /// <summary>The registry's consumer: no group of its own (it reads every partition from the beginning).</summary>
    public static ConsumerSettings RegistryConsumer(StreamsOptions options, KafkaConnection kafka) =>
        Consumer(options, kafka, $"{options.Kafka.GroupId}-registry");

    public static ReadingsPipelineSettings Readings(StreamsOptions options, KafkaConnection kafka) =>
        new(
            Consumer(options, kafka, options.Kafka.GroupId),
            kafka.Producer(),
            new CommitterSettings(options.Pipeline.CommitBatch, TimeSpan.FromMilliseconds(options.Pipeline.CommitIntervalMs)),
            InputTopics(options),
            options.Topics.DeadLetter)
        {
            MaxBatch = options.Pipeline.MaxBatch,
            BatchWindow = TimeSpan.FromMilliseconds(options.Pipeline.BatchWindowMs),
            SubjectsInFlight = options.Pipeline.SubjectsInFlight,
        };

    private static ConsumerSettings Consumer(StreamsOptions options, KafkaConnection kafka, string groupId)
    {
        var drain = Drain(options);
        return kafka.Consumer(groupId) with
        {
            MaxBufferedRecords = options.Pipeline.MaxBufferedRecords,
            DrainTimeout = drain.Readings,
            FinalCommitTimeout = drain.FinalCommit,
        };
    }
}
