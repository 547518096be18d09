using Confluent.Kafka;
using Streams.Actors.Kafka.Internal;

namespace Streams.Actors.Kafka;

/// <summary>
/// A record and the handle that marks it done. Only offsets marked done reach a commit, and only as far as
/// every earlier offset of the same partition is done too.
/// </summary>
public sealed record CommittableMessage(ConsumeResult<byte[]?, byte[]?> Record, CommittableOffset Offset);

/// <summary>Marks one consumed offset as processed; hand it to the committer once the work is done.</summary>
public sealed class CommittableOffset
{
    internal CommittableOffset(ICommitTarget target, TopicPartitionOffset topicPartitionOffset, int epoch)
    {
        Target = target;
        TopicPartitionOffset = topicPartitionOffset;
        Epoch = epoch;
    }

    /// <summary>The record's own offset (a commit of this partition goes to the contiguous done offset + 1).</summary>
    public TopicPartitionOffset TopicPartitionOffset { get; }

    internal ICommitTarget Target { get; }

    /// <summary>The assignment of the partition this offset was emitted under.</summary>
    internal int Epoch { get; }

    public override string ToString() => TopicPartitionOffset.ToString();
}
