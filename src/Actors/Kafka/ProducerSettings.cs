namespace Streams.Actors.Kafka;

/// <summary>Producer settings; the producer is always idempotent with acks=all.</summary>
public sealed record ProducerSettings(string BootstrapServers)
{
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Envelopes in flight at once (awaiting delivery reports).</summary>
    public int Parallelism { get; init; } = 100;
}
