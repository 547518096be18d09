using Streams.Bench.Cli;
using Streams.Bench.Floor;

namespace Streams.Bench.Tests;

public class FloorTests
{
    [Fact]
    public async Task The_driver_runs_every_item_with_at_most_the_given_number_in_flight()
    {
        var running = 0;
        var most = 0;
        var seen = new bool[500];
        await FloorDriver.ForEach(seen.Length, 7, async i =>
        {
            var now = Interlocked.Increment(ref running);
            lock (seen) most = Math.Max(most, now);
            await Task.Delay(1);
            seen[i] = true;
            Interlocked.Decrement(ref running);
        }, _ => { });
        Assert.All(seen, b => Assert.True(b));
        Assert.InRange(most, 2, 7);
    }

    [Fact]
    public async Task The_driver_fails_the_run_when_a_command_fails()
    {
        var failure = await Assert.ThrowsAsync<AggregateException>(() => FloorDriver.ForEach(50, 4, async i =>
        {
            await Task.Yield();
            if (i == 17) throw new InvalidOperationException("count 1, expected 2");
        }, _ => { }));
        Assert.Contains("1 of 50", failure.Message);
    }

    [Fact]
    public async Task Both_designs_apply_every_reading_once_and_report_each_round()
    {
        // The designs check every answer against the count they expect and throw on a lost or doubled reading.
        var scenario = new FloorScenario(BenchOptions.Parse(["floor", "--subjects", "300", "--per-subject", "2", "--batch", "64", "--shards", "5"]));
        var figures = await scenario.RunOnce(1, Path.GetTempPath());
        foreach (var phase in new[] { "entity_start", "entity_round2", "partition_first", "partition_round2" })
        {
            Assert.True(figures[$"{phase}_per_s"] > 0, phase);
            Assert.True(figures[$"{phase}_cpu_us"] > 0, phase);
        }
    }
}
