using System.Diagnostics;
using Confluent.Kafka;
using Streams.Bench.Kafka;
using Streams.Bench.Load;

namespace Streams.Bench.Tests;

public class CommittedTrimTests
{
    [Fact]
    public void Only_records_the_group_committed_are_deleted()
    {
        var catalog = new SubjectCatalog(10, 2, new Mix(100, 0, 0));
        var topology = new Topology(catalog, 100, alertEvery: 20);
        using var cluster = BenchCluster.Start(topology);
        var tp = new TopicPartition(Topology.Pegel, 0);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++) producer.Produce(tp, new Message<Null, string> { Value = $"r{i}" });
            producer.Flush(TimeSpan.FromSeconds(15));
        }
        using var member = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "trim-test", EnableAutoCommit = false,
        }).Build();
        member.Commit([new TopicPartitionOffset(tp, 6)]);

        using var group = new GroupWatch(cluster.BootstrapServers, "trim-test", [tp, new TopicPartition(Topology.Pegel, 1)],
            TimeSpan.FromSeconds(1), Stopwatch.StartNew());
        group.PollNow();
        using var trim = new CommittedTrim(cluster, group, TimeSpan.FromHours(1));
        trim.StopAndTrim();

        var marks = member.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
        Assert.Equal(6, marks.Low.Value);
        Assert.Equal(10, marks.High.Value);
        Assert.Equal(6, trim.Deleted);
        Assert.Equal(0, member.QueryWatermarkOffsets(new TopicPartition(Topology.Pegel, 1), TimeSpan.FromSeconds(10)).Low.Value);
    }
}
