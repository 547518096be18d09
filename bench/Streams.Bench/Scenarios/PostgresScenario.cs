using Streams.Bench.Cli;
using Streams.Bench.Postgres;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>The throughput scenario with the journal on PostgreSQL, and (unless <c>--sqlite=false</c>) on SQLite in the same run, side by side.</summary>
public sealed class PostgresScenario(BenchOptions o) : IScenario, IDisposable
{
    private readonly ThroughputScenario _throughput = new(o);
    private readonly bool _withSqlite = !o.String("sqlite", "true").Equals("false", StringComparison.OrdinalIgnoreCase);
    private ThrowawayPostgres? _server;

    public string Name => "postgres";

    public string What => $"throughput on PostgreSQL{(_withSqlite ? ", then on SQLite" : "")}: {_throughput.What}";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("complete", "= 1", v => v >= 1),
        new("ratio", "report (beside SQLite's ratio_sqlite)", _ => true),
    ];

    public async Task<Figures> RunOnce(int run, string runDir)
    {
        _server ??= ThrowawayPostgres.StartOrUseGiven();
        var plan = _throughput.Plan($"postgres#{run}", Path.Combine(runDir, "postgres"));
        var f = await PipelinePass.Run(plan with
        {
            HostSettings =
            [
                .. plan.HostSettings, "--Streams:Persistence:Provider=PostgreSql",
                $"--Streams:Persistence:ConnectionString={_server.CreateDatabase()}",
            ],
        });
        if (!_withSqlite) return f;
        var sqlite = await PipelinePass.Run(_throughput.Plan($"postgres-vs-sqlite#{run}", Path.Combine(runDir, "sqlite")));
        foreach (var name in new[] { "complete", "host_readings_per_s", "bare_records_per_s", "ratio", "ask_timeouts", "circuit_breaker", "duplicates" })
            f.Add(name + "_sqlite", sqlite[name], sqlite.Unit(name));
        return f;
    }

    public void Dispose() => _server?.Dispose();
}
