namespace Streams.Actors.Kafka;

/// <summary>How a source talks to Kafka. <see cref="Properties"/> go to librdkafka verbatim (SASL, SSL, ...).</summary>
public sealed record ConsumerSettings(string BootstrapServers, string GroupId)
{
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Records buffered in the source before the consumer pauses its partitions (backpressure).</summary>
    public int MaxBufferedRecords { get; init; } = 1000;

    /// <summary>
    /// Bytes (keys and values) buffered in the source before the consumer pauses, whatever the record count: a few
    /// large records must not take the memory of thousands of small ones. At least one record is always buffered.
    /// </summary>
    public long MaxBufferedBytes { get; init; } = 64L * 1024 * 1024;

    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Emit end-of-partition markers (ConsumeResult.IsPartitionEOF) from a plain source.</summary>
    public bool EnablePartitionEof { get; init; }

    /// <summary>
    /// After the source stopped, how long a committable source waits for its in-flight records to be done and
    /// committed before it closes the consumer anyway (those records are then consumed again after a restart).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After the drain, how long the final commit may keep failing (e.g. during a rebalance) before the consumer
    /// closes without it. Drain plus this is the longest a stopped source keeps its consumer open.
    /// </summary>
    public TimeSpan FinalCommitTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
