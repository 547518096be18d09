namespace Streams.Actors.Kafka.Internal;

/// <summary>What the committer needs from the consumer that emitted an offset.</summary>
internal interface ICommitTarget
{
    /// <summary>
    /// Marks offsets emitted by this consumer processed, all under one lock (thread-safe). Returns how many were marked:
    /// stale offsets (partition revoked since), unknown ones and ones marked before are not.
    /// </summary>
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
