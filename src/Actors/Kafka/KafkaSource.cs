using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka.Internal;

namespace Streams.Actors.Kafka;

public static class KafkaSource
{
    /// <summary>
    /// A backpressured, partition-aware source of committable records (consumer group, auto-commit off).
    /// Hand every <see cref="CommittableMessage.Offset"/> to <see cref="KafkaCommitter.Sink"/> once processed.
    /// Each materialization runs its own consumer on a dedicated thread.
    /// </summary>
    public static Source<CommittableMessage, IConsumerControl> Committable(ConsumerSettings settings, Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (subscription is not Subscription.Topics)
            throw new ArgumentException("A committable source needs a consumer group: use Subscription.OfTopics", nameof(subscription));
        return Source.FromGraph(new CommittableSourceStage(settings, subscription));
    }

    /// <summary>
    /// A source that never commits: e.g. a compacted topic read from the beginning into memory
    /// (<see cref="Subscription.FromBeginning"/>: no group, every partition from its first offset; waits for the topic
    /// to exist). With <see cref="ConsumerSettings.EnablePartitionEof"/> the end-of-partition markers are emitted too.
    /// </summary>
    public static Source<ConsumeResult<byte[]?, byte[]?>, IConsumerControl> Plain(ConsumerSettings settings, Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(subscription);
        return Source.FromGraph(new PlainSourceStage(settings, subscription));
    }
}
