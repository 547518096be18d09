using Akka.Streams.Dsl;
using Streams.Actors.Kafka.Internal;

namespace Streams.Actors.Kafka;

public static class KafkaCommitter
{
    /// <summary>
    /// Commits done offsets in batches: per partition, the highest contiguous done offset + 1 (an offset done out of
    /// order waits for every earlier one). Commits after <see cref="CommitterSettings.MaxBatch"/> done offsets or
    /// <see cref="CommitterSettings.Interval"/>, whichever first, and once more when the stream completes; the task
    /// completes after that final commit (fails if the stream or a commit failed).
    /// </summary>
    public static Sink<CommittableOffset, Task> Sink(CommitterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Streams.Dsl.Sink.FromGraph(new CommitterStage(settings));
    }
}
