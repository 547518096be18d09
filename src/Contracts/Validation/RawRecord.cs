namespace Streams.Contracts.Validation;

/// <summary>A record as it came off a topic, before validation. Free of any Kafka client type.</summary>
public sealed record RawRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value)
{
    public string? KeyText => Key is null ? null : System.Text.Encoding.UTF8.GetString(Key);
}
