using Confluent.Kafka;
using Streams.Host.Admin;

namespace Streams.Host.Kafka;

/// <summary>Per partition of the readings topics: the group's committed offset, the end offset, the lag and the owning node.</summary>
public sealed class ConsumerGroupLag(KafkaConnection kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public IReadOnlyList<PartitionLag> Compute(string groupId, IEnumerable<string> topics, IReadOnlyDictionary<string, string> owners)
    {
        var wanted = topics.ToHashSet();
        using var admin = kafka.AdminClient();
        var partitions = admin.GetMetadata(Timeout).Topics
            .Where(t => wanted.Contains(t.Topic) && t.Error.Code == ErrorCode.NoError)
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
            .OrderBy(tp => tp.Topic, StringComparer.Ordinal).ThenBy(tp => tp.Partition.Value)
            .ToList();
        if (partitions.Count == 0) return [];

        var config = new ConsumerConfig(kafka.ClientConfig().ToDictionary()) { GroupId = groupId, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
        var committed = consumer.Committed(partitions, Timeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        return partitions.Select(tp =>
        {
            var end = consumer.QueryWatermarkOffsets(tp, Timeout).High.Value;
            long? done = committed.TryGetValue(tp, out var o) && o.Value >= 0 ? o.Value : null;
            return new PartitionLag(tp.Topic, tp.Partition.Value, done, end, done is null ? null : Math.Max(0, end - done.Value),
                owners.GetValueOrDefault(AssignmentReporter.Key(tp)));
        }).ToList();
    }
}
