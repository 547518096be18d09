using System.Diagnostics;
using Spectre.Console;

namespace Streams.Host.Cli;

/// <summary>
/// Shows a replay's progress: records written, simulated (event) time, rate. A Spectre.Console progress bar on a
/// terminal; a plain line every few seconds when the output is redirected (logs, tests).
/// </summary>
internal static class ReplayProgress
{
    public static async Task<T> RunAsync<T>(bool bar, int total, TextWriter output, Func<Action<int, DateTimeOffset?>, Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        if (bar && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("replay", maxValue: Math.Max(1, total));
                    return await work((done, simulated) =>
                    {
                        task.Value = done;
                        task.Description = Markup.Escape(Line(done, total, simulated, clock.Elapsed));
                    });
                });
        }

        var lastPrinted = TimeSpan.Zero;
        return await work((done, simulated) =>
        {
            if (done != total && clock.Elapsed - lastPrinted < TimeSpan.FromSeconds(2)) return;
            lastPrinted = clock.Elapsed;
            output.WriteLine($"[replay] {Line(done, total, simulated, clock.Elapsed)}");
        });
    }

    private static string Line(int done, int total, DateTimeOffset? simulated, TimeSpan elapsed) =>
        $"{done}/{total} records, event time {(simulated is { } t ? t.ToString("yyyy-MM-dd HH:mm zzz") : "—")}, " +
        $"{done / Math.Max(0.001, elapsed.TotalSeconds):F0} records/s";
}
