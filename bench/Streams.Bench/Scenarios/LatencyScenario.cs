using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>
/// A steady write rate for a while; the time from each reading's write to its alert on streams.alerts and to its
/// offset being committed. If the host cannot keep up, the writer is held back by the lead and the achieved rate
/// falls short of the target: the report shows both.
/// </summary>
public sealed class LatencyScenario(BenchOptions o) : IScenario
{
    private readonly CommonOptions _common = new(o);
    private readonly int _subjects = o.Int("subjects", 10_000);
    private readonly double _rate = o.Double("rate", 20_000);
    private readonly double _seconds = o.Double("seconds", 60);
    private readonly double _warmUp = o.Double("warmup", PassPlan.DefaultLatencyWarmUpSeconds);
    private readonly Mix _mix = Mix.Parse(o.String("mix", "15,35,50"));

    public string Name => "latency";

    public string What =>
        $"{_rate:N0} readings/s for {_seconds:N0} s over {_subjects:N0} subjects (mix {_mix}); write → alert record and write → commit (HdrHistogram; also without the first {_warmUp:N0} s as _steady)";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("alert_latency_p99_ms", "≤ 100 ms (aim 50)", v => v <= 100),
        new("sustained", "≥ 0.95 (the rate was held)", v => v >= 0.95),
    ];

    public async Task<Figures> RunOnce(int run, string runDir)
    {
        var readings = (long)(_rate * _seconds);
        var f = await PipelinePass.Run(_common.Plan($"latency#{run}", runDir, new SubjectCatalog(_subjects, _common.Municipalities, _mix), readings)
            with { Rate = _rate, MeasureLatency = true, LatencyWarmUp = TimeSpan.FromSeconds(_warmUp) });
        f.Add("sustained", f.Get("achieved_write_rate") is { } achieved ? achieved / _rate : 0, "");
        return f;
    }
}
