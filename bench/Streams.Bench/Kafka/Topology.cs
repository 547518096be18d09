using Confluent.Kafka;
using Streams.Bench.Load;

namespace Streams.Bench.Kafka;

/// <summary>
/// The contract's topics with enough partitions that nothing a run writes falls out of the mock cluster, which keeps
/// only the newest ~55,000 records per partition: at most <see cref="RecordsPerPartition"/> per partition, at least 8
/// partitions per reading topic. A subject's readings all go to partition <c>indexWithinKind % partitions</c>.
/// </summary>
public sealed class Topology
{
    public const int RecordsPerPartition = 30_000;
    public const string Registry = "streams.registry", Pegel = "streams.pegel", Parking = "streams.parking", Bus = "streams.bus",
        Alerts = "streams.alerts", Aggregates = "streams.aggregates", DeadLetter = "streams.deadletter";

    private readonly SubjectCatalog _catalog;

    public Topology(SubjectCatalog catalog, long readings, int alertEvery)
    {
        _catalog = catalog;
        var perKind = new Dictionary<Kind, int>();
        foreach (var kind in Enum.GetValues<Kind>())
        {
            // Readings are spread round-robin over subjects, so a kind's share of readings is its share of subjects.
            var records = readings * catalog.CountOf(kind) / catalog.Count + catalog.CountOf(kind);
            perKind[kind] = Math.Max(8, Ceiling(records, RecordsPerPartition));
        }
        var alerts = alertEvery > 1 ? readings * 2 / alertEvery : readings / 100;
        Partitions = new Dictionary<string, int>
        {
            [Registry] = Math.Max(4, Ceiling(catalog.Count + catalog.Municipalities, RecordsPerPartition)),
            [Pegel] = perKind[Kind.Pegel],
            [Parking] = perKind[Kind.Parking],
            [Bus] = perKind[Kind.Bus],
            [Alerts] = Math.Max(4, Ceiling(alerts * 2, RecordsPerPartition)),
            [Aggregates] = 4,
            [DeadLetter] = 4,
        };
    }

    public IReadOnlyDictionary<string, int> Partitions { get; }

    public static IReadOnlyList<string> ReadingTopics { get; } = [Pegel, Parking, Bus];

    public static string TopicOf(Kind kind) => kind switch
    {
        Kind.Pegel => Pegel,
        Kind.Parking => Parking,
        _ => Bus,
    };

    public TopicPartition PartitionOf(int subject)
    {
        var topic = TopicOf(_catalog.KindOf(subject));
        return new TopicPartition(topic, _catalog.KindIndex(subject) % Partitions[topic]);
    }

    public IReadOnlyList<TopicPartition> AllPartitions(string topic) =>
        Enumerable.Range(0, Partitions[topic]).Select(p => new TopicPartition(topic, p)).ToList();

    public IReadOnlyList<TopicPartition> ReadingPartitions() => ReadingTopics.SelectMany(AllPartitions).ToList();

    public string Describe() => string.Join(", ", Partitions.Select(p => $"{p.Key.Replace("streams.", "")} {p.Value}"));

    private static int Ceiling(long a, long b) => (int)((a + b - 1) / b);
}
