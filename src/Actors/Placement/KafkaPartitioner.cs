namespace Streams.Actors.Placement;

/// <summary>How the producers of the readings topics map a key to a partition.</summary>
public enum PartitionerKind
{
    /// <summary>librdkafka's default for keyed records (<c>consistent_random</c>): CRC-32 of the key. Confluent's .NET, Go, Python clients and kcat.</summary>
    Crc32,

    /// <summary>The Java client's default: murmur2 of the key, made positive. Kafka Connect, Kafka Streams, NiFi.</summary>
    Murmur2,
}

/// <summary>The partition a keyed record gets from its producer's default partitioner, computed the same way here.</summary>
public static class KafkaPartitioner
{
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    public static int PartitionOf(ReadOnlySpan<byte> key, int partitions, PartitionerKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return kind switch
        {
            PartitionerKind.Crc32 => (int)(Crc32(key) % (uint)partitions),
            PartitionerKind.Murmur2 => (Murmur2(key) & 0x7fffffff) % partitions,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib and librdkafka's rd_crc32).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Crc32Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>MurmurHash2 with Kafka's seed, as the Java client's <c>Utils.murmur2</c>.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28cu ^ (uint)length;
        var i = 0;
        for (; i + 4 <= length; i += 4)
        {
            var k = (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length - i)
        {
            case 3:
                h ^= (uint)data[i + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[i + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[i];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
