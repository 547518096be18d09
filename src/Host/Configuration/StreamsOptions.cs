using Streams.Actors.Serialization;

namespace Streams.Host.Configuration;

/// <summary>The <c>Streams</c> configuration section (appsettings.json, environment <c>Streams__...</c>, command line).</summary>
public sealed class StreamsOptions
{
    public const string Section = "Streams";

    /// <summary>Where SQLite and other local files live. Relative paths are relative to the working directory.</summary>
    public string DataDir { get; set; } = "data";

    public KafkaOptions Kafka { get; set; } = new();
    public TopicOptions Topics { get; set; } = new();
    public PersistenceOptions Persistence { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public PipelineOptions Pipeline { get; set; } = new();
    public EntityOptions Entities { get; set; } = new();
    public ShutdownOptions Shutdown { get; set; } = new();

    public string FullDataDir => Path.GetFullPath(DataDir);
}

public sealed class KafkaOptions
{
    /// <summary>Empty: start the embedded (librdkafka mock) cluster in this process.</summary>
    public string BootstrapServers { get; set; } = "";
    public string GroupId { get; set; } = "streams";

    /// <summary>Passed to librdkafka verbatim (security.protocol, sasl.*, ssl.*, ...).</summary>
    public Dictionary<string, string> Properties { get; set; } = new();

    public int EmbeddedBrokers { get; set; } = 1;
    public int ReadingPartitions { get; set; } = 8;

    /// <summary>
    /// How the readings' producers map a key to a partition (Crc32: librdkafka's default; Murmur2: the Java client's).
    /// A sensor's shard is the partition its key maps to, and lives on the node consuming it; a different partitioner
    /// than the producers' costs network hops (metric streams.readings.partition_mismatch), never correctness.
    /// </summary>
    public Streams.Actors.Placement.PartitionerKind Partitioner { get; set; } = Streams.Actors.Placement.PartitionerKind.Crc32;

    /// <summary>
    /// Place each sensor shard on the node that consumes its partition (Akka's external shard allocation), so a reading
    /// does not cross the network to reach its entity. Off, shards are placed by Akka's least-shards strategy and about
    /// two thirds of a three-node cluster's readings cross nodes.
    /// </summary>
    public bool PartitionAwarePlacement { get; set; } = true;

    public bool IsEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);
}

public sealed class TopicOptions
{
    public string Registry { get; set; } = "streams.registry";
    public string Pegel { get; set; } = "streams.pegel";
    public string Parking { get; set; } = "streams.parking";
    public string Bus { get; set; } = "streams.bus";
    public string Alerts { get; set; } = "streams.alerts";
    public string Aggregates { get; set; } = "streams.aggregates";
    public string DeadLetter { get; set; } = "streams.deadletter";

    public IReadOnlyList<string> All => [Registry, Pegel, Parking, Bus, Alerts, Aggregates, DeadLetter];
}

public enum PersistenceProvider
{
    Sqlite,
    PostgreSql,
}

public sealed class PersistenceOptions
{
    public PersistenceProvider Provider { get; set; } = PersistenceProvider.Sqlite;

    /// <summary>Empty with SQLite: <c>{DataDir}/streams.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Entities recovering from the journal at once (Akka's default is 50). A backlog of new subjects is one recovery
    /// each; each waits on the database rather than the CPU, so more of them in flight keeps the node busy.
    /// </summary>
    public int MaxConcurrentRecoveries { get; set; } = 100;

    /// <summary>
    /// PostgreSQL connections this node opens at most: the journal, the snapshot store and the recovery reads share
    /// one pool. Nodes × this must stay below the server's <c>max_connections</c> (100 by default, a few reserved);
    /// a node with more wants than connections waits for one instead of failing. A <c>Maximum Pool Size</c> in the
    /// connection string wins.
    /// </summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>
    /// How the applied-readings event is written: <c>Binary</c> (<c>sensor.readings.v2</c>), or <c>Json</c>
    /// (<c>sensor.readings.v1</c>) while a rolling upgrade from a release that cannot read the binary form is under way.
    /// Both are always read.
    /// </summary>
    public ReadingsEventForm ReadingsEventForm { get; set; } = StreamsJsonSerializer.DefaultReadingsForm;
}

public sealed class ClusterOptions
{
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port (fine for a single node that joins itself).</summary>
    public int Port { get; set; }

    /// <summary>Empty: this node forms a cluster on its own.</summary>
    public string[] SeedNodes { get; set; } = [];
}

public sealed class DemoOptions
{
    /// <summary>Null: on with the embedded Kafka, off with an external one.</summary>
    public bool? Enabled { get; set; }
    public double ReadingsPerSecond { get; set; } = 20;
}

public sealed class EntityOptions
{
    /// <summary>Seconds without a message after which a sensor entity is passivated.</summary>
    public int PassivateIdleAfterSeconds { get; set; } = Actors.Entities.EntityTuning.DefaultPassivateIdleAfterSeconds;

    /// <summary>Sleeping sensors this node may wake per second in the background (reports after a restart, staleness checks).</summary>
    public int WakesPerSecond { get; set; } = Actors.Entities.EntityTuning.DefaultWakesPerSecond;

    /// <summary>Sensors running on this node at most; beyond it the least recently used one is passivated.</summary>
    public int MaxLiveSensors { get; set; } = Actors.Entities.EntityTuning.DefaultMaxLiveSensors;

    /// <summary>A stopping sensor with at least this many events since its last snapshot saves one first (0: never).</summary>
    public int SnapshotOnStopAfter { get; set; } = Actors.Entities.EntityTuning.DefaultSnapshotOnStopAfter;

    /// <summary>Snapshots of stopping sensors this node writes at once at most; beyond it a sensor stops without one.</summary>
    public int StopSnapshotsInFlight { get; set; } = Actors.Entities.EntityTuning.DefaultStopSnapshotsInFlight;
}

public sealed class PipelineOptions
{
    public int MaxBatch { get; set; } = Actors.Ingestion.ReadingsPipelineSettings.DefaultMaxBatch;
    public int BatchWindowMs { get; set; } = Actors.Ingestion.ReadingsPipelineSettings.DefaultBatchWindowMs;
    public int SubjectsInFlight { get; set; } = Actors.Ingestion.ReadingsPipelineSettings.DefaultSubjectsInFlight;
    public int CommitBatch { get; set; } = 1000;
    public int CommitIntervalMs { get; set; } = 1000;
    /// <summary>
    /// Records a consumer buffers before it pauses its partitions (backpressure). Its resume seeks to the consumer's
    /// position, which drops what librdkafka had fetched ahead: a small buffer makes a consumer wait for fetches.
    /// </summary>
    public int MaxBufferedRecords { get; set; } = 20_000;
    public int StatusIntervalSeconds { get; set; } = 5;
}

public sealed class ShutdownOptions
{
    /// <summary>
    /// The whole drain on shutdown (in-flight readings, their alerts, the final commit, the consumer's group leave,
    /// the publisher), however the shutdown starts; every phase gets its share of it.
    /// </summary>
    public int DrainSeconds { get; set; } = 30;
}
