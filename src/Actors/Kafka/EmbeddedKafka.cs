using Confluent.Kafka;
using Streams.Actors.Kafka.Native;

namespace Streams.Actors.Kafka;

/// <summary>
/// librdkafka's mock cluster: real Kafka protocol on loopback TCP, in this process. For the single-node host and for tests.
/// Known limits of the mock: auto-created topics get 4 partitions; each partition keeps only about the last 55,000 records
/// and at most 5 MiB: a record of 5 MiB or more evicts everything before it, and the next append to that partition moves
/// the log start past the appended record too (it is lost for every consumer, which then resets to the log end);
/// create topics with <see cref="CreateTopic"/> (Admin CreateTopics times out against it).
/// </summary>
public sealed class EmbeddedKafka : IDisposable
{
    private readonly object _gate = new();
    private nint _rk;
    private nint _cluster;

    private EmbeddedKafka(nint rk, nint cluster, string bootstrapServers)
    {
        _rk = rk;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Starts a mock cluster of <paramref name="brokers"/> brokers (ids 1..brokers) on 127.0.0.1.</summary>
    public static EmbeddedKafka Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        // The owning handle only hosts the mock cluster's thread; keep it quiet on stderr.
        var rk = LibRdKafka.NewProducerHandle([new("log_level", "2"), new("client.id", "embedded-kafka")]);
        var cluster = LibRdKafka.MockClusterNew(rk, brokers);
        if (cluster == 0)
        {
            LibRdKafka.DestroyHandle(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        return new EmbeddedKafka(rk, cluster, LibRdKafka.MockClusterBootstraps(cluster));
    }

    /// <summary>"127.0.0.1:port,..." of every broker.</summary>
    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(LibRdKafka.MockTopicCreate(Cluster, topic, partitions, replicationFactor), $"create topic {topic}");

    /// <summary>
    /// Deletes the records of a partition before <paramref name="beforeOffset"/>, as a broker's retention would: the
    /// partition's log then starts there. The mock finds a fetch's position by walking its log from the start, so a long
    /// log makes every fetch slower; a benchmark deletes what its consumers committed to keep fetches as cheap as a real
    /// broker's indexed ones.
    /// </summary>
    public void DeleteRecordsBefore(string topic, int partition, long beforeOffset) =>
        Check(LibRdKafka.MockPartitionDeleteRecords(Cluster, topic, partition, beforeOffset), $"delete records of {topic}[{partition}] before {beforeOffset}");

    public void SetBrokerDown(int brokerId) => Check(LibRdKafka.MockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(LibRdKafka.MockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>The next <paramref name="errors"/>.Length requests of this API get these errors.</summary>
    public void PushRequestErrors(short apiKey, params Confluent.Kafka.ErrorCode[] errors) =>
        LibRdKafka.MockPushRequestErrors(Cluster, apiKey, errors.Select(e => (int)e).ToArray());

    /// <summary>From now on the cluster records every request it receives (for tests: did a client meet the injected errors?).</summary>
    public void StartRequestTracking() => LibRdKafka.MockStartRequestTracking(Cluster);

    /// <summary>How many requests of this API the cluster received since <see cref="StartRequestTracking"/>.</summary>
    public int TrackedRequests(short apiKey) => LibRdKafka.MockRequestCounts(Cluster).GetValueOrDefault(apiKey);

    /// <summary>
    /// How long the mock's group coordinator waits for more members before the first rebalance of a new group
    /// (the mock's default is a few seconds; tests and a single-node host want it short).
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay) =>
        LibRdKafka.MockGroupInitialRebalanceDelay(Cluster, (int)delay.TotalMilliseconds);

    public void Dispose()
    {
        nint cluster, rk;
        lock (_gate)
        {
            (cluster, rk) = (_cluster, _rk);
            _cluster = 0;
            _rk = 0;
        }
        if (cluster != 0) LibRdKafka.MockClusterDestroy(cluster);
        if (rk != 0) LibRdKafka.DestroyHandle(rk);
    }

    private nint Cluster
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_cluster == 0, this);
                return _cluster;
            }
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
            throw new KafkaException(new Error((ErrorCode)err, $"{what}: {LibRdKafka.ErrorString(err)}"));
    }
}
