using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Streams.Bench.Kafka;

namespace Streams.Bench.Load;

/// <summary>
/// Writes the registry and the readings with a plain Confluent.Kafka producer, each reading to its subject's partition,
/// stamped with the wall-clock time of the write (the record's CreateTime, which latency is measured from). Paced
/// by an optional rate and by a lead: it never gets more than <c>lead</c> records ahead of what the host's group
/// committed, so the mock cluster's limited retention never drops an unread record.
/// </summary>
public sealed class LoadWriter : IDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly Topology _topology;
    private readonly ConcurrentDictionary<TopicPartition, long> _ends = new();
    private long _produced;
    private long _delivered;
    private long _failed;
    private long _alertCausing;
    private string? _lastError;

    public LoadWriter(string bootstrapServers, Topology topology)
    {
        _topology = topology;
        _producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers, LingerMs = 5, Acks = Acks.All, EnableIdempotence = false,
            QueueBufferingMaxMessages = 200_000,
        }).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>Write times of records by offset, for the commit latency; null unless latency is measured.</summary>
    public WriteTimes? WriteTimes { get; init; }

    /// <summary>Write times of the readings that cause an alert, by (subject, observedAt); null unless latency is measured.</summary>
    public ConcurrentDictionary<(string Subject, long ObservedAt), long>? AlertCauses { get; init; }

    public long Produced => Interlocked.Read(ref _produced);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Readings written that cross or clear a threshold: each should give exactly one alert.</summary>
    public long AlertCausing => Interlocked.Read(ref _alertCausing);
    public string? LastError => _lastError;

    /// <summary>End offset of every reading partition written to so far (topics are fresh: offsets start at 0).</summary>
    public IReadOnlyDictionary<TopicPartition, long> EndOffsets => _ends;

    public void WriteRegistry(Load.SubjectCatalog catalog)
    {
        foreach (var (key, value) in catalog.RegistryRecords())
            Produce(Topology.Registry, key, value, null);
        Flush();
    }

    /// <summary>
    /// Writes readings <paramref name="from"/> … <paramref name="from"/>+<paramref name="count"/>−1. With a rate, reading k
    /// is not written before k / rate seconds; with a lead, not before the group committed all but <paramref name="lead"/> of what was
    /// produced so far (<paramref name="committed"/> counts committed reading records).
    /// </summary>
    public void WriteReadings(ReadingFactory factory, long from, long count, double? ratePerSecond, long lead, Func<long> committed,
        CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        for (long k = 0; k < count && !cancel.IsCancellationRequested; k++)
        {
            if (ratePerSecond is { } rate)
            {
                var due = k / rate;
                while (clock.Elapsed.TotalSeconds < due) Thread.Sleep(1);
            }
            while (Produced - committed() >= lead && !cancel.IsCancellationRequested) Thread.Sleep(2);
            var reading = factory.Make(from + k);
            var tp = _topology.PartitionOf(reading.Subject);
            if (reading.CausesAlert) Interlocked.Increment(ref _alertCausing);
            Produce(tp, reading.Key, reading.Value, reading.CausesAlert && AlertCauses is not null
                ? (factory.SubjectKey(reading.Subject), reading.ObservedAtUnixSeconds)
                : null);
        }
        Flush();
    }

    private void Produce(string topic, string key, string value, (string, long)? alertCause) =>
        Produce(new TopicPartition(topic, Partition.Any), key, value, alertCause);

    private void Produce(TopicPartition tp, string key, string value, (string, long)? alertCause)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var message = new Message<string, string> { Key = key, Value = value, Timestamp = new Timestamp(now, TimestampType.CreateTime) };
        if (alertCause is { } cause) AlertCauses![cause] = now;
        var isReading = tp.Topic != Topology.Registry;
        while (true)
        {
            try
            {
                _producer.Produce(tp, message, report => OnDelivery(report, now, isReading));
                if (isReading) Interlocked.Increment(ref _produced);
                return;
            }
            catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Thread.Sleep(5);
            }
        }
    }

    private void OnDelivery(DeliveryReport<string, string> report, long writtenAt, bool isReading)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            _lastError = report.Error.Reason;
            return;
        }
        if (!isReading) return;
        Interlocked.Increment(ref _delivered);
        var offset = report.Offset.Value;
        _ends.AddOrUpdate(report.TopicPartition, offset + 1, (_, end) => Math.Max(end, offset + 1));
        WriteTimes?.Written(report.TopicPartition, offset, writtenAt);
    }

    public void Flush()
    {
        while (_producer.Flush(TimeSpan.FromSeconds(10)) > 0) { }
        if (Failed > 0) throw new InvalidOperationException($"{Failed} records could not be written: {LastError}");
    }

    public void Dispose() => _producer.Dispose();
}
