using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>The throughput pass at growing numbers of distinct subjects, each receiving readings: does speed or memory depend on how many subjects exist?</summary>
public sealed class ScaleScenario(BenchOptions o) : IScenario
{
    private static readonly string[] Kept =
    [
        "subjects", "readings", "complete", "host_start_to_ready_s", "host_readings_per_s", "bare_records_per_s", "ratio",
        "peak_working_set_mib", "entities_end", "host_cpu_us_per_reading", "duplicates", "ask_timeouts", "circuit_breaker", "readiness_lost",
    ];

    private readonly CommonOptions _common = new(o, defaultTimeoutSeconds: 3600);
    private readonly IReadOnlyList<int> _scales = o.Ints("scales", "10000,100000,1000000");
    private readonly int _perSubject = o.Int("per-subject", 2);
    private readonly Mix _mix = Mix.Parse(o.String("mix", "15,35,50"));

    public string Name => "scale";

    public string What =>
        $"{string.Join(" / ", _scales.Select(s => s.ToString("N0")))} distinct subjects (mix {_mix}), {_perSubject} readings each, written while the host runs";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("throughput_largest_vs_smallest", "≥ 0.7 (within 30 %)", v => v >= 0.7),
        new("peak_working_set_mib_largest", "≤ 4096 MiB", v => v <= 4096),
    ];

    public async Task<Figures> RunOnce(int run, string runDir)
    {
        var f = new Figures();
        var rates = new List<double>();
        var peak = 0.0;
        foreach (var subjects in _scales)
        {
            var plan = _common.Plan($"scale-{subjects}#{run}", Path.Combine(runDir, subjects.ToString()),
                new SubjectCatalog(subjects, _common.Municipalities, _mix), (long)subjects * _perSubject);
            var pass = await PipelinePass.Run(plan);
            foreach (var name in Kept.Where(pass.Has)) f.Add($"at_{subjects}_{name}", pass[name], pass.Unit(name));
            rates.Add(pass["host_readings_per_s"]);
            peak = pass["peak_working_set_mib"];
        }
        f.Add("peak_working_set_mib_largest", peak, "MiB");
        f.Add("throughput_largest_vs_smallest", rates[0] > 0 ? rates[^1] / rates[0] : 0, "");
        return f;
    }
}
