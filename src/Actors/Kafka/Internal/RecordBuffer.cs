using Confluent.Kafka;

namespace Streams.Actors.Kafka.Internal;

/// <summary>A consumed record waiting to be emitted, with the epoch of its partition's assignment.</summary>
internal readonly record struct BufferedRecord(ConsumeResult<byte[]?, byte[]?> Result, int Epoch)
{
    public long Size => (Result.Message?.Key?.Length ?? 0) + (Result.Message?.Value?.Length ?? 0);
}

/// <summary>
/// The hand-off between the consumer thread (adds) and the source stage (takes). Remembers whether the stage found
/// it empty, so the consumer thread wakes the stage exactly when records arrive for a waiting stage.
/// </summary>
internal sealed class RecordBuffer
{
    private readonly object _gate = new();
    private readonly Queue<BufferedRecord> _queue = new();
    private bool _takerWaiting;
    private volatile int _count;
    private long _bytes;

    public int Count => _count;

    /// <summary>Keys and values of the buffered records.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Highest <see cref="Bytes"/> ever reached (diagnostics, tests).</summary>
    public long MaxObservedBytes { get; private set; }

    /// <summary>Highest <see cref="Count"/> ever reached (diagnostics, tests).</summary>
    public int MaxObservedCount { get; private set; }

    /// <summary>Adds records; true if the taker was waiting and must be woken.</summary>
    public bool AddRange(List<BufferedRecord> records)
    {
        if (records.Count == 0) return false;
        lock (_gate)
        {
            foreach (var r in records)
            {
                _queue.Enqueue(r);
                Interlocked.Add(ref _bytes, r.Size);
            }
            _count = _queue.Count;
            if (_count > MaxObservedCount) MaxObservedCount = _count;
            if (_bytes > MaxObservedBytes) MaxObservedBytes = _bytes;
            var wake = _takerWaiting;
            _takerWaiting = false;
            return wake;
        }
    }

    /// <summary>Takes the oldest record; when empty, remembers that the taker waits.</summary>
    public bool TryTake(out BufferedRecord record)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out record))
            {
                _count = _queue.Count;
                Interlocked.Add(ref _bytes, -record.Size);
                return true;
            }
            _takerWaiting = true;
            return false;
        }
    }

    /// <summary>Drops the records of the given partitions (revoked); returns how many.</summary>
    public int RemovePartitions(IReadOnlySet<TopicPartition> partitions)
    {
        lock (_gate)
        {
            var before = _queue.Count;
            var keep = _queue.Where(r => !partitions.Contains(r.Result.TopicPartition)).ToList();
            _queue.Clear();
            foreach (var r in keep) _queue.Enqueue(r);
            _count = _queue.Count;
            Interlocked.Exchange(ref _bytes, keep.Sum(r => r.Size));
            return before - _count;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _count = 0;
            Interlocked.Exchange(ref _bytes, 0);
        }
    }
}
