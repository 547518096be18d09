using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>Few gauges with a long history each waiting in their topic (a replay): many readings per subject.</summary>
public sealed class CatchupScenario(BenchOptions o) : IScenario
{
    private readonly CommonOptions _common = new(o);
    private readonly int _gauges = o.Int("subjects", 200);
    private readonly int _perGauge = o.Int("per-subject", 2_000);

    public string Name => "catchup";

    public string What =>
        $"{_gauges:N0} gauges with {_perGauge:N0} readings each (15 min apart) in their topic before the host starts";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("complete", "= 1", v => v >= 1),
        new("ratio", "≥ 0.15 of bare", v => v >= 0.15),
    ];

    public Task<Figures> RunOnce(int run, string runDir) => PipelinePass.Run(
        _common.Plan($"catchup#{run}", runDir, new SubjectCatalog(_gauges, Math.Min(_common.Municipalities, _gauges), new Mix(100, 0, 0)),
            (long)_gauges * _perGauge) with { Prefill = true });
}
