using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>
/// One measured pass: the readings written (before the host starts, or while it runs, paced by rate and lead), the
/// real host started as a child process, waiting until its group committed every reading (or the timeout), then the
/// bare loop over the same records. End-to-end readings/s counts from the host's first ready to its last commit.
/// </summary>
public static class PipelinePass
{
    public static async Task<Figures> Run(PassPlan plan)
    {
        using var rig = new Rig(plan);
        if (plan.Prefill)
        {
            rig.Prefill(0, plan.Readings);
            Console.WriteLine($"[bench] {plan.Label}: {plan.Readings:N0} readings in their topics before the start ({rig.Clock.Elapsed.TotalSeconds:F1} s)");
        }
        rig.StartWatching();

        var f = new Figures();
        await using (var host = rig.StartHost("host"))
        {
            // A fixed rate measures latency: readings written while the host starts would only measure its start.
            if (plan.Rate is not null) await rig.WaitUntilReady(host);
            using var stopWriting = new CancellationTokenSource();
            var writeClock = System.Diagnostics.Stopwatch.StartNew();
            var writing = plan.Prefill ? Task.CompletedTask : rig.WriteConcurrently(0, plan.Readings, stopWriting.Token)
                .ContinueWith(t => { writeClock.Stop(); t.GetAwaiter().GetResult(); }, TaskScheduler.Default);

            var outcome = await rig.WaitUntilCommitted(host, plan.Readings, writing);
            rig.Group.PollNow();
            await host.StatusNow();
            var committed = rig.Group.Committed;
            var processing = rig.Group.LastAdvance - (host.FirstReady ?? TimeSpan.Zero);
            var hostRate = committed > 0 && processing > TimeSpan.Zero ? committed / processing.TotalSeconds : 0;
            Console.WriteLine($"[bench] {plan.Label}: {outcome}; {committed:N0} of {plan.Readings:N0} committed, {hostRate:N0} readings/s after ready");

            f.Add("subjects", plan.Catalog.Count, "");
            f.Add("readings", plan.Readings, "");
            f.Add("committed", committed, "");
            f.Add("complete", committed >= plan.Readings ? 1 : 0, "");
            f.Add("host_start_to_ready_s", host.StartToReady?.TotalSeconds ?? double.NaN, "s");
            f.Add("host_processing_s", processing.TotalSeconds, "s");
            f.Add("host_readings_per_s", hostRate, "/s");
            if (plan.Rate is { } rate)
            {
                f.Add("target_write_rate", rate, "/s");
                f.Add("achieved_write_rate", rig.Writer.Delivered / Math.Max(0.001, writeClock.Elapsed.TotalSeconds), "/s");
            }
            HostFigures.Add(f, host, committed);
            await stopWriting.CancelAsync();
            await writing;
        } // the host is gone before the bare loop runs, so both get the same machine

        rig.AddAlertFigures(f);
        rig.RunBareLoop(f);
        f.Add("ratio", f["bare_records_per_s"] > 0 ? f["host_readings_per_s"] / f["bare_records_per_s"] : 0, "");
        return f;
    }
}
