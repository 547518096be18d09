using Confluent.Kafka;

namespace Streams.EndToEnd.Tests;

/// <summary>How far a consumer group has committed, compared with the end of the topics.</summary>
public static class GroupProgress
{
    public static bool CaughtUp(string bootstrap, string groupId, IEnumerable<string> topics, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId })
            .SetLogHandler((_, _) => { }).Build();
        var tps = topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p))).ToList();
        var committed = consumer.Committed(tps, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        return tps.All(tp =>
        {
            var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            return end == 0 || committed.GetValueOrDefault(tp, -1) >= end;
        });
    }

    public static async Task WaitUntilCaughtUp(HostProcess host, string bootstrap, TimeSpan timeout, string groupId = "streams") =>
        await host.Eventually(() => Task.FromResult(CaughtUp(bootstrap, groupId, TestKafka.ReadingTopics, 8)), timeout,
            $"group {groupId} committed everything");
}
