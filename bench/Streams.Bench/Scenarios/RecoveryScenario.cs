using Streams.Bench.Cli;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>
/// Every subject gets state (one reading each, all committed); a second round of readings is written and the host is
/// killed with SIGKILL halfway through it; the host is started again on the same data: time to ready and time until
/// its group has committed everything. The dead member's Kafka session must expire before the partitions are
/// assigned again, so the host runs with a short <c>session.timeout.ms</c> (<c>--session-timeout-ms</c>).
/// </summary>
public sealed class RecoveryScenario(BenchOptions o) : IScenario
{
    private readonly CommonOptions _common = new(o);
    private readonly int _subjects = o.Int("subjects", 100_000);
    private readonly double _killAt = o.Double("kill-at", 0.5);
    private readonly int _sessionTimeoutMs = o.Int("session-timeout-ms", 6_000);
    private readonly Mix _mix = Mix.Parse(o.String("mix", "15,35,50"));

    public string Name => "recovery";

    public string What =>
        $"{_subjects:N0} subjects (mix {_mix}) get state; a second round of {_subjects:N0} readings; kill -9 at {_killAt:P0} of it; restart (session.timeout.ms={_sessionTimeoutMs})";

    public IReadOnlyList<Target> Targets { get; } =
    [
        new("restart_to_ready_s", "≤ 10 s", v => v <= 10),
        new("restart_to_caught_up_s", "report", _ => true),
        new("complete", "= 1", v => v >= 1),
    ];

    public async Task<Figures> RunOnce(int run, string runDir)
    {
        var catalog = new SubjectCatalog(_subjects, _common.Municipalities, _mix);
        var plan = _common.Plan($"recovery#{run}", runDir, catalog, 2L * _subjects) with
        {
            HostSettings = [.. _common.HostArgs, $"--Streams:Kafka:Properties:session.timeout.ms={_sessionTimeoutMs}"],
        };
        using var rig = new Rig(plan);
        rig.StartWatching();
        using var stop = new CancellationTokenSource();
        var f = new Figures();
        f.Add("subjects", _subjects, "");
        f.Add("readings", plan.Readings, "");

        Task secondRound;
        long committedAtKill;
        await using (var first = rig.StartHost("host"))
        {
            var firstRound = rig.WriteConcurrently(0, _subjects, stop.Token);
            Console.WriteLine($"[bench] {plan.Label}: first round: {await rig.WaitUntilCommitted(first, _subjects, firstRound)}");
            var stateRate = _subjects / (rig.Group.LastAdvance - (first.FirstReady ?? TimeSpan.Zero)).TotalSeconds;
            f.Add("state_readings_per_s", stateRate, "/s");

            var killAt = _subjects + (long)(_subjects * _killAt);
            secondRound = rig.WriteConcurrently(_subjects, _subjects, stop.Token);
            await rig.WaitUntilCommitted(first, plan.Readings, secondRound, () => rig.Group.Committed >= killAt);
            await first.StatusNow();
            f.Add("applied_before_kill", first.StatusLong("applied"), "");
            f.Add("peak_working_set_mib_before_kill", first.PeakRssBytes / 1048576.0, "MiB");
            f.Add("ask_timeouts_before_kill", first.Log.Count("ask_timeouts"), "");
            first.KillHard();
            rig.Group.PollNow();
            committedAtKill = rig.Group.Committed;
            f.Add("committed_at_kill", committedAtKill, "");
            Console.WriteLine($"[bench] {plan.Label}: killed -9 with {committedAtKill:N0} committed");
        }

        await using (var second = rig.StartHost("host-restarted"))
        {
            var outcome = await rig.WaitUntilCommitted(second, plan.Readings, secondRound);
            rig.Group.PollNow();
            await second.StatusNow();
            var committed = rig.Group.Committed;
            Console.WriteLine($"[bench] {plan.Label}: after the restart: {outcome}; ready after {second.StartToReady?.TotalSeconds:F1} s");
            f.Add("committed", committed, "");
            f.Add("complete", committed >= plan.Readings ? 1 : 0, "");
            f.Add("restart_to_ready_s", second.StartToReady?.TotalSeconds ?? double.NaN, "s");
            f.Add("restart_to_caught_up_s", committed >= plan.Readings ? (rig.Group.LastAdvance - second.StartedAt).TotalSeconds : double.NaN, "s");
            f.Add("readings_after_restart", committed - committedAtKill, "");
            HostFigures.Add(f, second, committed - committedAtKill);
            await stop.CancelAsync();
            await secondRound;
        }

        rig.AddAlertFigures(f);
        rig.RunBareLoop(f);
        f.Add("ratio_state_round", f["bare_records_per_s"] > 0 ? f["state_readings_per_s"] / f["bare_records_per_s"] : 0, "");
        return f;
    }
}
