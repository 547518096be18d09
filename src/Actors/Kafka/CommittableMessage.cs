using Confluent.Kafka;

namespace Streams.Actors.Kafka;

/// <summary>
/// A record and the handle that marks it done. Only offsets marked done reach a commit, and only as far as
/// every earlier offset of the same partition is done too.
/// </summary>
public sealed record CommittableMessage(ConsumeResult<byte[]?, byte[]?> Record, CommittableOffset Offset);

/// <summary>Marks one consumed offset as processed; hand it to the committer once the work is done.</summary>
public sealed class CommittableOffset
{
    public TopicPartitionOffset TopicPartitionOffset => throw new NotImplementedException();
}
