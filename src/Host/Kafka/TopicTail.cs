using Confluent.Kafka;

namespace Streams.Host.Kafka;

/// <summary>The latest records of a topic (all partitions, no consumer group), oldest first.</summary>
public sealed class TopicTail(KafkaConnection kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads up to <paramref name="scanPerPartition"/> records from the end of each partition, keeps those
    /// <paramref name="select"/> turns into a value, and returns the last <paramref name="limit"/> by timestamp.
    /// </summary>
    public IReadOnlyList<T> Latest<T>(string topic, int limit, int scanPerPartition, Func<byte[], T?> select) where T : class
    {
        using var admin = kafka.AdminClient();
        var meta = admin.GetMetadata(topic, Timeout).Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError);
        if (meta is null) return [];

        var config = new ConsumerConfig(kafka.ClientConfig().ToDictionary())
        {
            GroupId = $"streams-tail-{Guid.NewGuid():N}", EnableAutoCommit = false, EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var starts = new List<TopicPartitionOffset>();
        var ends = new Dictionary<int, long>();
        foreach (var p in meta.Partitions)
        {
            var tp = new TopicPartition(topic, p.PartitionId);
            var w = consumer.QueryWatermarkOffsets(tp, Timeout);
            if (w.High.Value <= w.Low.Value) continue;
            ends[p.PartitionId] = w.High.Value;
            starts.Add(new TopicPartitionOffset(tp, Math.Max(w.Low.Value, w.High.Value - scanPerPartition)));
        }
        if (starts.Count == 0) return [];

        consumer.Assign(starts);
        var found = new List<(DateTime At, T Value)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null) continue;
            var partition = r.Partition.Value;
            if (r.IsPartitionEOF || r.Offset.Value + 1 >= ends.GetValueOrDefault(partition, long.MaxValue)) ends.Remove(partition);
            if (r.IsPartitionEOF || r.Message.Value is null) continue;
            if (select(r.Message.Value) is { } value) found.Add((r.Message.Timestamp.UtcDateTime, value));
        }
        return found.OrderBy(f => f.At).Select(f => f.Value).TakeLast(limit).ToList();
    }
}
