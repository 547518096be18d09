using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Streams.Actors.Kafka;

public static class KafkaSource
{
    /// <summary>A backpressured, partition-aware source of committable records (consumer group, auto-commit off).</summary>
    public static Source<CommittableMessage, IConsumerControl> Committable(ConsumerSettings settings, Subscription subscription) => throw new NotImplementedException();

    /// <summary>A source that never commits: e.g. a compacted topic read from the beginning into memory.</summary>
    public static Source<ConsumeResult<byte[]?, byte[]?>, IConsumerControl> Plain(ConsumerSettings settings, Subscription subscription) => throw new NotImplementedException();
}
