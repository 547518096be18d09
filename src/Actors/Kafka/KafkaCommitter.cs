using Akka.Streams.Dsl;

namespace Streams.Actors.Kafka;

public static class KafkaCommitter
{
    /// <summary>Commits done offsets in batches: per partition, the highest contiguous done offset + 1.</summary>
    public static Sink<CommittableOffset, Task> Sink(CommitterSettings settings) => throw new NotImplementedException();
}
