using System.Text;
using Confluent.Kafka;
using Streams.Actors.Placement;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

/// <summary>
/// Sensor shards follow the partition the producers give a key: the computation here must agree with librdkafka's
/// partitioners (what the broker actually stores) and with the Java client's murmur2 (its published test vectors).
/// </summary>
public sealed class KafkaPartitionerTests(KafkaFixture fixture) : IClassFixture<KafkaFixture>
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 300).Select(i => (i % 3) switch
    {
        0 => $"{2_390_000 + i * 37}",      // gauge numbers
        1 => $"kl-parkhaus-{i}",          // car park ids
        _ => $"bus-{i:x}-Ümlaut",         // non-ASCII: the key's UTF-8 bytes count
    })];

    [Theory]
    [InlineData(PartitionerKind.Crc32, "consistent_random")]
    [InlineData(PartitionerKind.Murmur2, "murmur2_random")]
    public async Task Every_key_lands_on_the_partition_computed_for_it_by_the_matching_librdkafka_partitioner(PartitionerKind kind, string librdkafka)
    {
        const int partitions = 8;
        var topic = Unique("partitioner");
        fixture.Kafka.CreateTopic(topic, partitions);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers, Acks = Acks.All, LingerMs = 5,
            Partitioner = librdkafka == "consistent_random" ? Partitioner.ConsistentRandom : Partitioner.Murmur2Random,
        }).Build();
        var mismatches = new List<string>();
        foreach (var key in Keys)
        {
            var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = "{}" });
            var computed = KafkaPartitioner.PartitionOf(Encoding.UTF8.GetBytes(key), partitions, kind);
            if (delivered.Partition.Value != computed) mismatches.Add($"{key}: broker {delivered.Partition.Value}, computed {computed}");
        }
        Assert.Empty(mismatches);
        // Not trivially true: the keys spread over every partition.
        Assert.Equal(partitions, Keys.Select(k => KafkaPartitioner.PartitionOf(Encoding.UTF8.GetBytes(k), partitions, kind)).Distinct().Count());
    }

    [Theory]
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_the_java_clients_test_vectors(string key, int expected) =>
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Crc32_is_the_ieee_checksum() =>
        Assert.Equal(0xCBF43926u, KafkaPartitioner.Crc32("123456789"u8));

    [Fact]
    public void A_sensors_shard_is_its_partition_number_and_the_same_for_every_caller()
    {
        var placement = new SensorPlacement(8, PartitionerKind.Crc32);
        foreach (var key in Keys)
        {
            var shard = placement.ShardOf(key);
            Assert.Equal(KafkaPartitioner.PartitionOf(Encoding.UTF8.GetBytes(key), 8, PartitionerKind.Crc32).ToString(), shard);
            Assert.Equal(shard, new SensorPlacement(8, PartitionerKind.Crc32).ShardOf(key)); // another node, the same shard
        }
        var longKey = new string('x', 400) + "é";
        Assert.Equal(KafkaPartitioner.PartitionOf(Encoding.UTF8.GetBytes(longKey), 8, PartitionerKind.Crc32), placement.PartitionOf(longKey));
    }
}
