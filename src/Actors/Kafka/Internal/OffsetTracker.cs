using Confluent.Kafka;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// Per partition: which emitted offsets are still in flight, and what may be committed. The commit point of a
/// partition is the lowest offset still in flight, or (none in flight) the highest emitted offset + 1: so a record
/// finished out of order never lets an unfinished earlier one be skipped. Offsets the source never emitted
/// (gaps from compaction or transaction markers) do not hold a partition back.
/// Each assignment of a partition gets a new epoch; handles of an earlier assignment are ignored.
/// Not thread-safe: the owner serializes access.
/// </summary>
internal sealed class OffsetTracker
{
    private sealed class PartitionState(int epoch)
    {
        public readonly int Epoch = epoch;
        public readonly PendingOffsets InFlight = new();
        /// <summary>Offset known committed (or the first emitted offset: the position we started from).</summary>
        public long Base = -1;
        public long MaxEmitted = -1;
    }

    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private int _lastEpoch;

    /// <summary>Offsets emitted and not done yet, over all partitions.</summary>
    public int InFlightCount { get; private set; }

    public IReadOnlyCollection<TopicPartition> Partitions => _partitions.Keys;

    /// <summary>Starts tracking a newly assigned partition; returns its epoch.</summary>
    public int Assign(TopicPartition tp)
    {
        Revoke(tp);
        var epoch = ++_lastEpoch;
        _partitions[tp] = new PartitionState(epoch);
        return epoch;
    }

    /// <summary>Forgets a partition (revoked or lost); its outstanding handles become stale.</summary>
    public void Revoke(TopicPartition tp)
    {
        if (_partitions.Remove(tp, out var state))
            InFlightCount -= state.InFlight.Count;
    }

    public int? EpochOf(TopicPartition tp) => _partitions.TryGetValue(tp, out var s) ? s.Epoch : null;

    /// <summary>An offset is about to be emitted. False if the partition is not (or no longer) assigned with this epoch.</summary>
    public bool Register(TopicPartition tp, int epoch, long offset)
    {
        if (!_partitions.TryGetValue(tp, out var s) || s.Epoch != epoch) return false;
        if (offset <= s.MaxEmitted) return false; // re-emission of an offset (seek back) is not supported
        if (s.Base < 0) s.Base = offset;
        s.MaxEmitted = offset;
        s.InFlight.Add(offset);
        InFlightCount++;
        return true;
    }

    /// <summary>Marks an emitted offset done. False for stale epochs, unknown or already-done offsets.</summary>
    public bool MarkDone(TopicPartition tp, int epoch, long offset)
    {
        if (!_partitions.TryGetValue(tp, out var s) || s.Epoch != epoch) return false;
        if (!s.InFlight.MarkDone(offset)) return false;
        InFlightCount--;
        return true;
    }

    /// <summary>The offset to commit (next to consume) if it moved past what is known committed; else null.</summary>
    public long? CommitPoint(TopicPartition tp)
    {
        if (!_partitions.TryGetValue(tp, out var s) || s.MaxEmitted < 0) return null;
        var point = s.InFlight.Lowest ?? s.MaxEmitted + 1;
        return point > s.Base ? point : null;
    }

    /// <summary>Commit points of every tracked partition (or just <paramref name="only"/>) that moved.</summary>
    public List<TopicPartitionOffset> CommitPoints(IEnumerable<TopicPartition>? only = null)
    {
        var result = new List<TopicPartitionOffset>();
        foreach (var tp in only ?? _partitions.Keys)
        {
            if (CommitPoint(tp) is { } point)
                result.Add(new TopicPartitionOffset(tp, new Offset(point)));
        }
        return result;
    }

    /// <summary>Records a successful commit so the same point is not committed again.</summary>
    public void Committed(TopicPartitionOffset tpo)
    {
        if (_partitions.TryGetValue(tpo.TopicPartition, out var s) && tpo.Offset.Value > s.Base)
            s.Base = tpo.Offset.Value;
    }
}
