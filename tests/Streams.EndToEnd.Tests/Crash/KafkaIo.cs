using System.Text;
using Confluent.Kafka;

namespace Streams.EndToEnd.Tests.Crash;

public sealed record OutputRecord(int Partition, long Offset, string Key, byte[] Value);

/// <summary>Plain Confluent clients owned by the test: bulk input, reading outputs, the group's progress.</summary>
public static class KafkaIo
{
    /// <summary>Produces every record (acks=all, idempotent, so each key keeps its order) and waits for all deliveries.</summary>
    public static void Produce(string bootstrap, IEnumerable<ScenarioRecord> records)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
        };
        using var producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        var failed = 0;
        Error? firstError = null;
        foreach (var r in records)
        {
            producer.Produce(r.Topic, new Message<string, string> { Key = r.Key, Value = r.Value }, report =>
            {
                if (report.Error.IsError && Interlocked.Increment(ref failed) == 1) firstError = report.Error;
            });
        }
        var pending = producer.Flush(TimeSpan.FromSeconds(60));
        if (pending > 0 || failed > 0)
            throw new InvalidOperationException($"producing the scenario failed: {pending} undelivered, {failed} failed ({firstError})");
    }

    /// <summary>Everything on the topic now, from the beginning of every partition to its current end.</summary>
    public static List<OutputRecord> ReadAll(string bootstrap, string topic, int partitions)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "streams-test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var ends = new Dictionary<int, long>();
        for (var p = 0; p < partitions; p++)
            ends[p] = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
        var todo = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        var result = new List<OutputRecord>();
        if (todo.Count == 0) return result;
        consumer.Assign(todo.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (todo.Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"reading {topic}: partitions {string.Join(",", todo)} not read to their end");
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null) continue;
            var p = cr.Partition.Value;
            if (!cr.IsPartitionEOF)
                result.Add(new OutputRecord(p, cr.Offset.Value, cr.Message.Key is null ? "" : Encoding.UTF8.GetString(cr.Message.Key), cr.Message.Value ?? []));
            var next = cr.IsPartitionEOF ? cr.Offset.Value : cr.Offset.Value + 1;
            if (next >= ends[p]) todo.Remove(p);
        }
        return result;
    }

    /// <summary>The group's committed offset of each partition of the topic (0 where it committed nothing).</summary>
    public static Dictionary<int, long> Committed(string bootstrap, string groupId, string topic, int partitions)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        return consumer.Committed(tps, TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.IsSpecial ? 0 : c.Offset.Value);
    }

    /// <summary>How many records of these topics the group has not committed yet (end offset minus committed offset).</summary>
    public static long Uncommitted(string bootstrap, string groupId, IEnumerable<string> topics, int partitions)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var tps = topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p))).ToList();
        var committed = consumer.Committed(tps, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => c.Offset);
        long remaining = 0;
        foreach (var tp in tps)
        {
            var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            var done = committed.TryGetValue(tp, out var c) && !c.IsSpecial ? c.Value : 0;
            remaining += Math.Max(0, end - done);
        }
        return remaining;
    }
}
