using Streams.Bench.Report;

namespace Streams.Bench.Tests;

public sealed class LatencyTests
{
    [Fact]
    public void The_steady_figures_leave_out_samples_written_before_the_warm_up_ended()
    {
        var latency = new Latency();
        for (var i = 0; i < 100; i++) latency.Record(writtenAtMs: 1_000 + i, milliseconds: 900); // during the warm-up
        for (var i = 0; i < 900; i++) latency.Record(writtenAtMs: 6_000 + i, milliseconds: 40);
        var f = new Figures();

        latency.AddTo(f, "alert_latency", steadyFromMs: 6_000);

        Assert.Equal(1_000, f.Get("alert_latency_samples"));
        Assert.Equal(900, f.Get("alert_latency_max_ms"));
        Assert.Equal(900, f.Get("alert_latency_p99_ms"));
        Assert.Equal(900, f.Get("alert_latency_steady_samples"));
        Assert.Equal(40, f.Get("alert_latency_steady_p99_ms"));
        Assert.Equal(40, f.Get("alert_latency_steady_max_ms"));
    }

    [Fact]
    public void Without_a_warm_up_only_the_whole_distribution_is_given()
    {
        var latency = new Latency();
        latency.Record(writtenAtMs: 1_000, milliseconds: 12);
        var f = new Figures();

        latency.AddTo(f, "commit_latency");

        Assert.Equal(12, f.Get("commit_latency_p50_ms"));
        Assert.Null(f.Get("commit_latency_steady_samples"));
    }
}
