using System.Text;

namespace Streams.Actors.Placement;

/// <summary>
/// Which shard a sensor lives in: the partition its readings topic gives its key (the sensor id). A sensor's shard is a
/// function of its id alone, so every sender (pipeline, registry, municipality, API) finds the same shard; the node
/// that consumes partition p hosts shard p (<see cref="ShardLocationUpdater"/>), so readings reach their entity without
/// crossing the network. Every node must use the same partition count and partitioner (shared configuration).
/// </summary>
public sealed class SensorPlacement(int partitions, PartitionerKind partitioner)
{
    private const int StackKeyBytes = 256;

    public int Partitions { get; } = partitions >= 1 ? partitions : throw new ArgumentOutOfRangeException(nameof(partitions));
    public PartitionerKind Partitioner { get; } = partitioner;

    public int PartitionOf(string sensorId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(sensorId.Length);
        Span<byte> key = length <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : new byte[length];
        var written = Encoding.UTF8.GetBytes(sensorId, key);
        return KafkaPartitioner.PartitionOf(key[..written], Partitions, Partitioner);
    }

    public string ShardOf(string sensorId) => ShardId(PartitionOf(sensorId));

    /// <summary>Shard ids are the partition numbers, cached as strings.</summary>
    public string ShardId(int partition) => (uint)partition < (uint)_shardIds.Length ? _shardIds[partition] : partition.ToString();

    private readonly string[] _shardIds = Enumerable.Range(0, Math.Max(1, partitions)).Select(p => p.ToString()).ToArray();
}
