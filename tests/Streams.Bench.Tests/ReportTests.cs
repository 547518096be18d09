using Streams.Bench.Cli;
using Streams.Bench.Report;

namespace Streams.Bench.Tests;

public class ReportTests
{
    private static Figures Run(params (string Name, double Value)[] values)
    {
        var f = new Figures();
        foreach (var (name, value) in values) f.Add(name, value, "");
        return f;
    }

    [Fact]
    public void The_median_of_three_runs_is_the_middle_value_of_each_figure()
    {
        var median = BenchReport.Median([Run(("ratio", 0.3), ("rate", 10)), Run(("ratio", 0.1), ("rate", 30)), Run(("ratio", 0.2), ("rate", 20))]);
        Assert.Equal(0.2, median["ratio"]);
        Assert.Equal(20, median["rate"]);
    }

    [Fact]
    public void The_median_of_an_even_number_of_runs_is_the_mean_of_the_middle_two_and_ignores_missing_values()
    {
        var median = BenchReport.Median([Run(("x", 1)), Run(("x", 3)), Run(("x", double.NaN)), Run(("x", 10)), Run(("x", 2))]);
        Assert.Equal(2.5, median["x"]);
    }

    [Fact]
    public void Options_take_both_spellings_and_host_settings_and_report_unknown_ones()
    {
        var o = BenchOptions.Parse(["throughput", "--subjects", "1_000", "--readings=20,000", "--keep", "--host-arg", "--Streams:Pipeline:Parallelism=64", "--typo", "1"]);
        Assert.Equal(1_000, o.Int("subjects", 5));
        Assert.Equal(20_000, o.Long("readings", 5));
        Assert.True(o.Flag("keep"));
        Assert.Equal(7, o.Int("runs", 7));
        Assert.Contains("--Streams:Pipeline:Parallelism=64", o.HostArgs);
        Assert.Equal(["typo"], o.Unused);
        Assert.Equal("7", o.Effective["runs"]);
    }
}
