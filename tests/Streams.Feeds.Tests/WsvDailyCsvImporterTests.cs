using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Feeds.Tests;

public sealed class WsvDailyCsvImporterTests
{
    private static readonly string Koeln = TestData.File("pegel/wsv_daily_minmax_koeln_2020_2026.csv");

    private static readonly FeedFormats.Inputs Inputs = new()
    {
        StagesPath = TestData.File("pegel/lanuk_rhine_wsv_gauges_thresholds.csv"),
        Municipality = "05315000",
    };

    [Fact]
    public void Each_day_becomes_one_reading_of_its_maximum_at_noon_MEZ()
    {
        var lines = File.ReadAllLines(Koeln).Skip(1).Select(l => l.Split(',')).ToList();

        var batch = TestData.Import("pegelonline", Inputs, Koeln);

        Assert.Equal(lines.Count, batch.Readings.Count);
        Assert.Empty(batch.Rejects);
        var flood = lines.Single(f => f[3] == "2021-07-16");
        var reading = Assert.Single(batch.Readings.Cast<PegelReading>(), r => r.ObservedAt.Date == new DateTime(2021, 7, 16));
        Assert.Equal(double.Parse(flood[5], System.Globalization.CultureInfo.InvariantCulture), reading.LevelCm);
        Assert.Equal(DateTimeOffset.Parse("2021-07-16T12:00:00+01:00"), reading.ObservedAt);
    }

    [Fact]
    public void The_gauge_is_registered_once_with_the_information_levels_found_by_its_name_and_a_daily_interval()
    {
        var batch = TestData.Import("pegelonline", Inputs, Koeln);

        var entry = Assert.IsType<PegelEntry>(Assert.Single(batch.Registry));
        Assert.Equal("a6ee8177-107b-47dd-bcfd-30960ccc6e9c", entry.Id);
        Assert.Equal([725, 950, 1000], entry.StagesCm);          // "KÖLN" found as "WSV_Koeln"
        Assert.Equal(("KÖLN", "RHEIN", "05315000", 86_400), (entry.Name, entry.Water, entry.Municipality, entry.ExpectedIntervalSeconds));
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_numbers_and_the_rest_is_converted()
    {
        var lines = File.ReadAllLines(Koeln).Take(8).ToArray();
        lines[2] = lines[2].Replace(",cm", ",m");                     // line 3: wrong unit
        lines[4] = string.Join(',', lines[4].Split(',')[..5]);        // line 5: a column missing
        var f = lines[6].Split(',');
        f[5] = "abc";                                                  // line 7: not a number
        lines[6] = string.Join(',', f);

        var batch = TestData.Import("pegelonline", Inputs, TestData.Temp("daily.csv", string.Join('\n', lines)));

        Assert.Equal(["line 3", "line 5", "line 7"], batch.Rejects.Select(r => r.Position));
        Assert.Contains("unit", batch.Rejects[0].Reason);
        Assert.Contains("columns", batch.Rejects[1].Reason);
        Assert.Contains("max_w", batch.Rejects[2].Reason);
        Assert.Equal(4, batch.Readings.Count);
    }
}
