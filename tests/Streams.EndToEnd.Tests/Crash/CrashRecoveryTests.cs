using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Crash;

/// <summary>
/// The host as a child process against a Kafka owned by the test, killed with SIGKILL at random moments and stopped
/// once with SIGTERM, always restarted on the same data dir. At the end every expected alert must be on
/// <c>streams.alerts</c> (at-least-once, duplicates only byte-for-byte, per subject in order) and the latest
/// aggregates must be what the final readings imply.
/// </summary>
/// <remarks>
/// Size: <c>STREAMS_CRASH_READINGS</c> (default 150,000 readings over 200 subjects, produced in slices, one before each interrupted run, so every run starts with a backlog however fast the node is); seed: <c>STREAMS_CRASH_SEED</c>
/// (default: random, printed).
/// </remarks>
[Collection(EndToEndCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private const int SubjectsPerMunicipality = 100;
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-crash-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();
    private readonly ITestOutputHelper _output;

    public CrashRecoveryTests(ITestOutputHelper output)
    {
        _output = output;
        // The group has one member at a time: nobody to wait for before its first assignment.
        _kafka.Cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_host_killed_at_random_moments_and_restarted_loses_no_alert_repeats_none_under_a_new_id_and_ends_with_the_right_aggregates()
    {
        var wall = Stopwatch.StartNew();
        var readings = int.TryParse(Environment.GetEnvironmentVariable("STREAMS_CRASH_READINGS"), out var n) ? n : 150_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STREAMS_CRASH_SEED"), out var s) ? s : Random.Shared.Next();
        var rng = new Random(seed);
        Log($"crash test: seed {seed} (STREAMS_CRASH_SEED={seed} repeats this run), {readings} readings requested");

        var scenario = Scenario.Generate(SubjectsPerMunicipality, Math.Max(10, readings / (2 * SubjectsPerMunicipality)), DateTimeOffset.UtcNow);
        var kills = 3 + rng.Next(2);
        var sigtermAt = rng.Next(kills + 1); // which interrupted run ends with SIGTERM instead of SIGKILL
        // Every interrupted run gets fresh input just before it starts, so none of them can find the backlog already
        // done by a faster node. Slices are contiguous: each subject's readings still arrive in order.
        var slices = Slice(scenario.Readings, kills + 1);
        KafkaIo.Produce(_kafka.Bootstrap, scenario.Registry);
        Log($"produced {scenario.Registry.Count} registry entries; {scenario.Readings.Count} readings for {scenario.Expected.Count} subjects "
            + $"follow in {slices.Count} slices, one before each interrupted run; {scenario.ExpectedAlertCount} alert transitions expected");

        var settings = _kafka.HostSettings(Path.Combine(_workDir, "data"), HostTuning.FastGroupRejoin);
        int killed = 0, terminated = 0, starts = 0, killedWithWorkInFlight = 0;
        for (var run = 0; run <= kills; run++)
        {
            KafkaIo.Produce(_kafka.Bootstrap, slices[run]);
            await using var host = HostProcess.Start(_workDir, settings);
            starts++;
            await host.WaitUntilReady(TimeSpan.FromSeconds(60));
            // The crash must hit work in flight however fast the node is: it comes once this run has applied a random
            // share (10–50 %) of what was left uncommitted when it started, measured in readings (applied or recognised as
            // duplicates of what an earlier run applied), not seconds.
            var leftAtStart = KafkaIo.Uncommitted(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);
            var share = 0.1 + 0.4 * rng.NextDouble();
            var target = Math.Max(1, (long)(leftAtStart * share));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await WaitUntilProcessed(host, target);
            var delay = clock.Elapsed;
            if (run == sigtermAt)
            {
                var left = KafkaIo.Uncommitted(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);
                host.SendSigterm();
                Assert.True(await host.WaitForExit(TimeSpan.FromSeconds(40)), "exit after SIGTERM\n" + host.Tail());
                Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode} after SIGTERM\n" + host.Tail());
                terminated++;
                Log($"run {run + 1}: SIGTERM {delay.TotalSeconds:0.0} s after ready, at {share:P0} of the {leftAtStart} readings left, {left} readings not yet committed; clean exit");
            }
            else
            {
                var applied = (await host.GetJson("/api/status")).GetProperty("applied").GetInt64();
                host.Kill();
                Assert.True(await host.WaitForExit(TimeSpan.FromSeconds(10)), "killed host still running");
                killed++;
                // Measured after the kill: a dead host commits nothing more, so this is what was left at the moment of the kill.
                var left = KafkaIo.Uncommitted(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);
                if (left > 0 && applied > 0) killedWithWorkInFlight++;
                Log($"run {run + 1}: SIGKILL {delay.TotalSeconds:0.0} s after ready, at {share:P0} of the {leftAtStart} readings left, {applied} readings applied by this run, {left} not committed at the kill");
            }
        }

        await using (var host = HostProcess.Start(_workDir, settings))
        {
            starts++;
            await host.WaitUntilReady(TimeSpan.FromSeconds(60));
            await host.Eventually(() => Task.FromResult(KafkaIo.Uncommitted(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8) == 0),
                TimeSpan.FromSeconds(180), "every reading committed by the group");
            Log($"all readings committed after {wall.Elapsed.TotalSeconds:0.0} s");

            // Aggregates are conflated: the one reflecting the final readings follows shortly after.
            List<string> aggregateProblems = [];
            await host.Eventually(() =>
            {
                aggregateProblems = OutputCheck.Aggregates(scenario, KafkaIo.ReadAll(_kafka.Bootstrap, "streams.aggregates", 4));
                return Task.FromResult(aggregateProblems.All(p => p.Contains("seq", StringComparison.Ordinal) && p.Contains(" after ", StringComparison.Ordinal)));
            }, TimeSpan.FromSeconds(30), "latest aggregates reflect the final readings");

            var alerts = OutputCheck.Alerts(scenario, KafkaIo.ReadAll(_kafka.Bootstrap, "streams.alerts", 4));
            var status = await host.GetJson("/api/status");
            Log($"figures: records {scenario.Registry.Count + scenario.Readings.Count} ({scenario.Readings.Count} readings), "
                + $"SIGKILLs {killed}, SIGTERMs {terminated}, starts {starts} (restarts {starts - 1}), SIGKILLs with readings applied and not all committed {killedWithWorkInFlight}, "
                + $"{alerts}, aggregate problems {aggregateProblems.Count}, wall time {wall.Elapsed.TotalSeconds:0.0} s; "
                + $"last run: applied {status.GetProperty("applied")}, duplicates {status.GetProperty("duplicates")}");
            foreach (var p in aggregateProblems.Take(10)) Log("aggregate: " + p);

            alerts.AssertClean();
            Assert.Empty(aggregateProblems);
            Assert.True(killed >= 3, "at least 3 SIGKILLs");
            Assert.True(killedWithWorkInFlight >= 2,
                $"only {killedWithWorkInFlight} SIGKILL(s) hit a run that had applied readings and not committed every reading: the crashes proved little");
            Assert.Equal(1, terminated);
            Assert.False(host.HasExited, "host alive at the end\n" + host.Tail());
        }
    }

    private void Log(string line)
    {
        var text = $"[crash {DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {line}";
        _output.WriteLine(text);
        Console.WriteLine(text);
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// Polls the host's counters every 10 ms until it has processed <paramref name="target"/> readings; the slower
    /// group-offset query (is anything left at all?) runs only once a second so it cannot make the kill overshoot.
    /// </summary>
    private async Task WaitUntilProcessed(HostProcess host, long target)
    {
        var deadline = Stopwatch.StartNew();
        var sinceLeftCheck = Stopwatch.StartNew();
        while (await Processed(host) < target)
        {
            if (sinceLeftCheck.Elapsed > TimeSpan.FromSeconds(1))
            {
                if (KafkaIo.Uncommitted(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8) == 0) return;
                sinceLeftCheck.Restart();
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"this run did not process {target} readings within 120 s\n" + host.Tail());
            Assert.False(host.HasExited, "host exited on its own\n" + host.Tail());
            await Task.Delay(10);
        }
    }

    private static List<List<ScenarioRecord>> Slice(List<ScenarioRecord> records, int count)
    {
        var size = (records.Count + count - 1) / count;
        return Enumerable.Range(0, count).Select(i => records.Skip(i * size).Take(size).ToList()).ToList();
    }

    private static async Task<long> Processed(HostProcess host)
    {
        var status = await host.GetJson("/api/status");
        return status.GetProperty("applied").GetInt64() + status.GetProperty("duplicates").GetInt64();
    }

}
