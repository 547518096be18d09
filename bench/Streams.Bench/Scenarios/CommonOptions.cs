using Streams.Bench.Cli;
using Streams.Bench.Load;

namespace Streams.Bench.Scenarios;

/// <summary>The options every pipeline scenario shares, turned into a plan for one pass.</summary>
public sealed class CommonOptions(BenchOptions o, int defaultTimeoutSeconds = 900)
{
    public int Municipalities { get; } = o.Int("municipalities", 20);
    public int AlertEvery { get; } = o.Int("alert-every", 20);
    public long Lead { get; } = o.Long("lead", 50_000);
    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(o.Int("timeout", defaultTimeoutSeconds));
    public TimeSpan ProgressEvery { get; } = TimeSpan.FromSeconds(o.Double("progress-seconds", 5));
    public IReadOnlyList<string> HostArgs { get; } = o.HostArgs;
    public bool KeepCommitted { get; } = o.Flag("keep-committed");

    public PassPlan Plan(string label, string runDir, SubjectCatalog catalog, long readings) => new()
    {
        Label = label,
        RunDir = runDir,
        Catalog = catalog,
        Readings = readings,
        Lead = Lead,
        TrimCommitted = !KeepCommitted,
        AlertEvery = AlertEvery,
        Timeout = Timeout,
        HostSettings = HostArgs,
        ProgressEvery = ProgressEvery,
    };
}
