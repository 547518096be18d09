using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>A registry of many subjects and their readings all waiting in Kafka before the host starts.</summary>
public sealed class BacklogScenario(BenchOptions o) : IScenario
{
    private readonly CommonOptions _common = new(o);
    private readonly int _subjects = o.Int("subjects", 10_000);
    private readonly long _readings = o.Long("readings", 60_000);
    private readonly Mix _mix = Mix.Parse(o.String("mix", "15,35,50"));

    public string Name => "backlog";

    public string What =>
        $"{_subjects:N0} registered subjects (mix {_mix}, {_common.Municipalities} municipalities), {_readings:N0} readings in their topics before the host starts";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("complete", "= 1 (every reading committed)", v => v >= 1),
        new("ask_timeouts", "= 0", v => v == 0),
        new("not_stored", "= 0", v => v == 0),
        new("circuit_breaker", "= 0", v => v == 0),
        new("duplicates", "= 0 (none re-applied)", v => v == 0),
        new("readiness_lost", "= 0", v => v == 0),
        new("ratio", "≥ 0.2 of bare", v => v >= 0.2),
    ];

    public Task<Figures> RunOnce(int run, string runDir) => PipelinePass.Run(
        _common.Plan($"backlog#{run}", runDir, new SubjectCatalog(_subjects, _common.Municipalities, _mix), _readings) with { Prefill = true });
}
