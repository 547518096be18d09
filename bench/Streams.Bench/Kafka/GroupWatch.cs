using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Bench.Kafka;

/// <summary>
/// Polls the committed offsets of the host's consumer group on the reading partitions (the only progress that counts:
/// a reading's offset is committed once its state is durable and its alerts are on Kafka).
/// </summary>
public sealed class GroupWatch : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _probe;
    private readonly IReadOnlyList<TopicPartition> _partitions;
    private readonly TimeSpan _interval;
    private readonly WriteTimes? _writeTimes;
    private readonly Dictionary<TopicPartition, long> _committed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock;
    private Task _loop = Task.CompletedTask;
    private long _total;
    private long _lastAdvanceTicks;

    public GroupWatch(string bootstrapServers, string groupId, IReadOnlyList<TopicPartition> partitions, TimeSpan interval,
        Stopwatch clock, WriteTimes? writeTimes = null)
    {
        _probe = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId })
            .SetLogHandler((_, _) => { }).Build();
        _partitions = partitions;
        _interval = interval;
        _clock = clock;
        _writeTimes = writeTimes;
    }

    /// <summary>Reading records committed by the group, over all reading partitions.</summary>
    public long Committed => Interlocked.Read(ref _total);

    /// <summary>When (on the run's clock) the committed total last grew.</summary>
    public TimeSpan LastAdvance => TimeSpan.FromTicks(Interlocked.Read(ref _lastAdvanceTicks));

    public void Start() => _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);

    public bool AllCommitted(IReadOnlyDictionary<TopicPartition, long> ends)
    {
        lock (_committed)
            return ends.All(e => _committed.GetValueOrDefault(e.Key) >= e.Value);
    }

    /// <summary>The committed offset of every reading partition the group has committed on so far.</summary>
    public IReadOnlyList<KeyValuePair<TopicPartition, long>> CommittedOffsets()
    {
        lock (_committed)
            return _committed.ToList();
    }

    /// <summary>Polls once now (a final, exact reading).</summary>
    public void PollNow() => Poll();

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Poll();
            }
            catch (KafkaException) { } // the mock answers again on the next poll
            _stop.Token.WaitHandle.WaitOne(_interval);
        }
    }

    private void Poll()
    {
        var offsets = _probe.Committed(_partitions, TimeSpan.FromSeconds(10));
        var seenAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_committed)
        {
            long total = 0;
            foreach (var tpo in offsets)
            {
                var now = Math.Max(0, tpo.Offset.Value);
                var before = _committed.GetValueOrDefault(tpo.TopicPartition);
                if (now > before)
                {
                    _writeTimes?.Committed(tpo.TopicPartition, before, now, seenAt);
                    _committed[tpo.TopicPartition] = now;
                }
                total += Math.Max(now, before);
            }
            if (total > Interlocked.Read(ref _total))
            {
                Interlocked.Exchange(ref _total, total);
                Interlocked.Exchange(ref _lastAdvanceTicks, _clock.Elapsed.Ticks);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(15));
        _probe.Dispose();
        _stop.Dispose();
    }
}
