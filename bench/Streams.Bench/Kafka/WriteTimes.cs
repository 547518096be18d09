using System.Collections.Concurrent;
using Confluent.Kafka;
using Streams.Bench.Report;

namespace Streams.Bench.Kafka;

/// <summary>
/// When each reading record was written, by partition and offset; when the host's group commits past it, the time
/// from write to commit is recorded. The commit is seen by polling, so each sample is late by up to one poll interval.
/// </summary>
public sealed class WriteTimes
{
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private long _firstWrittenAtMs = long.MaxValue;

    public Latency ToCommit { get; } = new();

    /// <summary>The write time of the first reading written (ms since the epoch); long.MaxValue before.</summary>
    public long FirstWrittenAtMs => Interlocked.Read(ref _firstWrittenAtMs);

    public void Written(TopicPartition tp, long offset, long writtenAtMs)
    {
        _logs.GetOrAdd(tp, _ => new PartitionLog()).Set(offset, writtenAtMs);
        var first = Interlocked.Read(ref _firstWrittenAtMs);
        while (writtenAtMs < first)
        {
            var seen = Interlocked.CompareExchange(ref _firstWrittenAtMs, writtenAtMs, first);
            if (seen == first) break;
            first = seen;
        }
    }

    /// <summary>The group's committed offset of <paramref name="tp"/> moved from <paramref name="from"/> to <paramref name="to"/>, seen at <paramref name="seenAtMs"/>.</summary>
    public void Committed(TopicPartition tp, long from, long to, long seenAtMs)
    {
        if (!_logs.TryGetValue(tp, out var log)) return;
        for (var offset = Math.Max(0, from); offset < to; offset++)
            if (log.TryGet(offset, out var writtenAt)) ToCommit.Record(writtenAt, seenAtMs - writtenAt);
    }

    private sealed class PartitionLog
    {
        private long[] _times = new long[1024];
        private readonly object _gate = new();

        public void Set(long offset, long value)
        {
            lock (_gate)
            {
                if (offset >= _times.Length) Array.Resize(ref _times, (int)Math.Max(offset + 1, _times.Length * 2L));
                _times[offset] = value;
            }
        }

        public bool TryGet(long offset, out long value)
        {
            lock (_gate)
            {
                value = offset < _times.Length ? _times[offset] : 0;
                return value != 0;
            }
        }
    }
}
