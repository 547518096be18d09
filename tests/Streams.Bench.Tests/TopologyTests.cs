using Streams.Bench.Kafka;
using Streams.Bench.Load;

namespace Streams.Bench.Tests;

public class TopologyTests
{
    [Theory]
    [InlineData(200, 400_000, 100, 0, 0)] // catchup: few subjects, many readings each
    [InlineData(10_000, 60_000, 15, 35, 50)] // backlog
    [InlineData(100_000, 200_000, 15, 35, 50)] // throughput
    [InlineData(7, 100_003, 15, 35, 50)]
    public void No_partition_gets_more_records_than_the_mock_cluster_keeps(int subjects, int readings, int pegel, int parking, int bus)
    {
        var catalog = new SubjectCatalog(subjects, 20, new Mix(pegel, parking, bus));
        var topology = new Topology(catalog, readings, alertEvery: 20);
        var perPartition = new Dictionary<(string, int), int>();
        for (var j = 0; j < readings; j++)
        {
            var tp = topology.PartitionOf(j % subjects);
            perPartition[(tp.Topic, tp.Partition.Value)] = perPartition.GetValueOrDefault((tp.Topic, tp.Partition.Value)) + 1;
        }
        Assert.True(perPartition.Values.Max() <= Topology.RecordsPerPartition, $"a partition holds {perPartition.Values.Max()} records");
        Assert.True(catalog.Count + catalog.Municipalities <= topology.Partitions[Topology.Registry] * Topology.RecordsPerPartition);
    }

    [Fact]
    public void The_mix_gives_each_kind_its_share_of_subjects()
    {
        var catalog = new SubjectCatalog(100_000, 20, new Mix(15, 35, 50));
        Assert.Equal(15_000, catalog.CountOf(Kind.Pegel));
        Assert.Equal(35_000, catalog.CountOf(Kind.Parking));
        Assert.Equal(50_000, catalog.CountOf(Kind.Bus));
    }
}
