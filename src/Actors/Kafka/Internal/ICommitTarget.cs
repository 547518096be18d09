using Confluent.Kafka;

namespace Streams.Actors.Kafka.Internal;

/// <summary>What the committer needs from the consumer that emitted an offset.</summary>
internal interface ICommitTarget
{
    /// <summary>Marks an emitted offset processed (thread-safe). False when stale (partition revoked since) or unknown.</summary>
    bool MarkDone(TopicPartition partition, int epoch, long offset);

    /// <summary>Marks offsets emitted by this consumer processed, all at once (thread-safe); returns how many were not stale.</summary>
    int MarkDone(IReadOnlyList<CommittableOffset> offsets);

    /// <summary>
    /// Commits, on the consumer thread, every partition's contiguous done prefix. False when a retriable failure (e.g.
    /// a rebalance in progress) left something uncommitted: the committer must try again even if nothing new is done.
    /// </summary>
    Task<bool> CommitAsync();

    /// <summary>A committer started using this consumer; the consumer waits for it when stopping.</summary>
    void AttachCommitter();

    /// <summary>The committer stopped (after its final commit).</summary>
    void DetachCommitter();
}
