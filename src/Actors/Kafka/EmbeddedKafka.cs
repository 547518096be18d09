namespace Streams.Actors.Kafka;

/// <summary>
/// librdkafka's mock cluster: real Kafka protocol on loopback TCP, in this process. For the single-node host and for tests.
/// </summary>
public sealed class EmbeddedKafka : IDisposable
{
    public static EmbeddedKafka Start(int brokers = 1) => throw new NotImplementedException();

    public string BootstrapServers => throw new NotImplementedException();

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) => throw new NotImplementedException();

    public void SetBrokerDown(int brokerId) => throw new NotImplementedException();

    public void SetBrokerUp(int brokerId) => throw new NotImplementedException();

    /// <summary>The next <paramref name="errors"/>.Length requests of this API get these errors.</summary>
    public void PushRequestErrors(short apiKey, params Confluent.Kafka.ErrorCode[] errors) => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
