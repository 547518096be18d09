using System.Text;
using Confluent.Kafka;
using Streams.Actors.Kafka;

namespace Streams.Kafka.Tests;

/// <summary>One embedded (mock) cluster per test class, plus helpers on plain Confluent clients.</summary>
public sealed class KafkaFixture : IDisposable
{
    public EmbeddedKafka Kafka { get; } = EmbeddedKafka.Start();

    public KafkaFixture() => Kafka.SetGroupInitialRebalanceDelay(TimeSpan.Zero);

    public string BootstrapServers => Kafka.BootstrapServers;

    public void Dispose() => Kafka.Dispose();
}

internal static class Kafka
{
    private static int _counter;

    public static string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 30)];

    /// <summary>Fast group protocol timings for tests.</summary>
    public static ConsumerSettings Consumer(string bootstrap, string group, int maxBuffered = 1000) => new(bootstrap, group)
    {
        MaxBufferedRecords = maxBuffered,
        DrainTimeout = TimeSpan.FromSeconds(10),
        Properties = new Dictionary<string, string>
        {
            ["session.timeout.ms"] = "6000",
            ["heartbeat.interval.ms"] = "100",
            ["fetch.wait.max.ms"] = "50",
            ["topic.metadata.refresh.interval.ms"] = "1000",
            ["fetch.queue.backoff.ms"] = "10",
            ["fetch.error.backoff.ms"] = "10",
        },
    };

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    /// <summary>Produces "p{partition}-{i}" values, <paramref name="perPartition"/> per partition, in order; waits for acks.</summary>
    public static void Produce(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap, LingerMs = 5, EnableIdempotence = true, Acks = Acks.All,
        }).Build();
        var failures = 0;
        for (var i = 0; i < perPartition; i++)
        {
            for (var p = 0; p < partitions; p++)
            {
                producer.Produce(new TopicPartition(topic, p),
                    new Message<byte[]?, byte[]?> { Key = Bytes($"k{p}"), Value = Bytes($"p{p}-{i}") },
                    r => { if (r.Error.IsError) Interlocked.Increment(ref failures); });
            }
        }
        if (producer.Flush(TimeSpan.FromSeconds(30)) != 0 || failures != 0)
            throw new InvalidOperationException($"test producer failed ({failures} failures)");
    }

    /// <summary>
    /// Reads a topic from the beginning with a fresh group until <paramref name="expected"/> records arrived (or 30 s),
    /// then for <paramref name="settle"/> more, so that records beyond the expected ones show up too.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int expected, TimeSpan settle = default)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = Unique("reader"), AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r) records.Add(r);
        }
        if (settle > TimeSpan.Zero)
        {
            while (consumer.Consume(settle) is { IsPartitionEOF: false } extra) records.Add(extra);
        }
        consumer.Close();
        return records;
    }

    /// <summary>Committed offset per partition of a group (Offset.Unset where none).</summary>
    public static Dictionary<int, long> Committed(string bootstrap, string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false,
        }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p));
        return consumer.Committed(tps, TimeSpan.FromSeconds(10)).ToDictionary(t => t.Partition.Value, t => t.Offset.Value);
    }

    /// <summary>High watermark per partition.</summary>
    public static Dictionary<int, long> EndOffsets(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "end-offsets",
        }).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
