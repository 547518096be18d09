using Streams.Bench.Cli;

namespace Streams.Bench.Floor;

internal sealed class FloorOptions(BenchOptions o)
{
    public int Subjects { get; } = o.Int("subjects", 100_000);
    public int PerSubject { get; } = o.Int("per-subject", 3);
    public int InFlight { get; } = o.Int("in-flight", 1000);
    public int Shards { get; } = o.Int("shards", 24);
    public int Batch { get; } = o.Int("batch", 5000);
    public string Designs { get; } = o.String("designs", "subject,partition");
    public TimeSpan AskTimeout { get; } = TimeSpan.FromSeconds(o.Int("ask-timeout", 60));

    public static string[] Ids(int subjects) => Enumerable.Range(0, subjects).Select(i => $"s{i:D7}").ToArray();
}
