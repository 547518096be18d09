using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>Mixed readings over many subjects, written as fast as the host takes them (never more than the lead ahead).</summary>
public sealed class ThroughputScenario(BenchOptions o) : IScenario
{
    private readonly CommonOptions _common = new(o);
    private readonly int _subjects = o.Int("subjects", 100_000);
    private readonly long _readings = o.Long("readings", 200_000);
    private readonly Mix _mix = Mix.Parse(o.String("mix", "15,35,50"));

    public string Name => "throughput";

    public string What =>
        $"{_readings:N0} mixed readings (mix {_mix}) over {_subjects:N0} subjects, {_common.Municipalities} municipalities, written while the host runs, at most {_common.Lead:N0} ahead of its commits";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("complete", "= 1", v => v >= 1),
        new("ratio", "≥ 0.25 (aim 0.5)", v => v >= 0.25),
    ];

    public PassPlan Plan(string label, string runDir) =>
        _common.Plan(label, runDir, new SubjectCatalog(_subjects, _common.Municipalities, _mix), _readings);

    public Task<Figures> RunOnce(int run, string runDir) => PipelinePass.Run(Plan($"throughput#{run}", runDir));
}
