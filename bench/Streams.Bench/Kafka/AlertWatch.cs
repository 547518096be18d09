using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using Streams.Bench.Report;

namespace Streams.Bench.Kafka;

/// <summary>
/// Reads streams.alerts from the beginning, as a downstream consumer would: counts alert records and distinct ids
/// (a repeated id is an at-least-once duplicate), and, for readings whose write time is known, records the time from
/// the reading's write to its alert's record timestamp (the host's producer stamps CreateTime when it produces).
/// </summary>
public sealed class AlertWatch : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IReadOnlyList<TopicPartition> _partitions;
    private readonly ConcurrentDictionary<(string Subject, long ObservedAt), long>? _causes;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _records;
    private long _unmatched;

    public AlertWatch(string bootstrapServers, IReadOnlyList<TopicPartition> partitions,
        ConcurrentDictionary<(string Subject, long ObservedAt), long>? causes)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers, GroupId = "bench-alerts", EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        _partitions = partitions;
        _causes = causes;
    }

    public Latency ToAlert { get; } = new();
    public long Records => Interlocked.Read(ref _records);

    public long DistinctIds
    {
        get
        {
            lock (_ids) return _ids.Count;
        }
    }

    /// <summary>Alerts whose reading's write time was not known (e.g. sensor.stale, or latency not measured).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    public void Start()
    {
        _consumer.Assign(_partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);
    }

    /// <summary>Waits until everything on the alerts topic now has been read (or <paramref name="timeout"/> passed).</summary>
    public void CatchUp(TimeSpan timeout)
    {
        var ends = _partitions.Sum(tp => _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        var deadline = DateTime.UtcNow + timeout;
        while (Records < ends && DateTime.UtcNow < deadline) Thread.Sleep(50);
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
                continue;
            }
            if (result is null || result.IsPartitionEOF) continue;
            Interlocked.Increment(ref _records);
            Read(result);
        }
    }

    private void Read(ConsumeResult<byte[], byte[]> result)
    {
        string? id = null, subject = null;
        DateTimeOffset? time = null;
        try
        {
            using var doc = JsonDocument.Parse(result.Message.Value);
            var root = doc.RootElement;
            if (root.TryGetProperty("id", out var i)) id = i.GetString();
            if (root.TryGetProperty("subject", out var s)) subject = s.GetString();
            if (root.TryGetProperty("time", out var t) && t.TryGetDateTimeOffset(out var parsed)) time = parsed;
        }
        catch (JsonException) { }
        if (id is not null)
            lock (_ids) _ids.Add(id);
        if (_causes is not null && subject is not null && time is { } at && _causes.TryGetValue((subject, at.ToUnixTimeSeconds()), out var writtenAt))
            ToAlert.Record(writtenAt, result.Message.Timestamp.UnixTimestampMs - writtenAt);
        else
            Interlocked.Increment(ref _unmatched);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(10));
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
