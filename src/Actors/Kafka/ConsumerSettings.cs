namespace Streams.Actors.Kafka;

/// <summary>How a source talks to Kafka. <see cref="Properties"/> go to librdkafka verbatim (SASL, SSL, ...).</summary>
public sealed record ConsumerSettings(string BootstrapServers, string GroupId)
{
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Records buffered in the source before the consumer pauses its partitions (backpressure).</summary>
    public int MaxBufferedRecords { get; init; } = 1000;

    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Emit end-of-partition markers (ConsumeResult.IsPartitionEOF) from a plain source.</summary>
    public bool EnablePartitionEof { get; init; }
}
