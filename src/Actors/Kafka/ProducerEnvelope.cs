namespace Streams.Actors.Kafka;

public sealed record ProducerRecord(string Topic, byte[]? Key, byte[]? Value)
{
    public IReadOnlyList<KeyValuePair<string, byte[]>> Headers { get; init; } = [];
}

/// <summary>Zero or more records to produce; <see cref="PassThrough"/> comes out once all are acknowledged (acks=all).</summary>
public sealed record ProducerEnvelope<TPassThrough>(IReadOnlyList<ProducerRecord> Records, TPassThrough PassThrough);
