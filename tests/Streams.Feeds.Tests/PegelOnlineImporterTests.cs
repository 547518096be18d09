using System.Text.Json;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Feeds.Tests;

public sealed class PegelOnlineImporterTests
{
    private static readonly FeedFormats.Inputs WithLanukStagesAndBoundaries = new()
    {
        StagesPath = TestData.File("pegel/lanuk_rhine_wsv_gauges_thresholds.csv"),
        BoundariesPath = TestData.File("geo/municipalities_bounding_boxes.geojson"),
    };

    [Fact]
    public void Stations_response_gives_entries_with_NRW_information_levels_placed_by_boundary_and_the_current_measurement()
    {
        var batch = TestData.Import("pegelonline", WithLanukStagesAndBoundaries, TestData.File("pegel/pegelonline_stations_assembled.json"));

        var bonn = Assert.Single(batch.Registry.OfType<PegelEntry>(), e => e.Id == "593647aa-9fea-43ec-a7d6-6476a76ae868");
        Assert.Equal([680, 910, 960], bonn.StagesCm);               // LANUK row 2710080 (WSV_Bonn), matched by the station number
        Assert.Equal("05314000", bonn.Municipality);
        Assert.Equal(("BONN", "RHEIN", 900), (bonn.Name, bonn.Water, bonn.ExpectedIntervalSeconds));
        var koeln = Assert.Single(batch.Registry.OfType<PegelEntry>(), e => e.Id == "a6ee8177-107b-47dd-bcfd-30960ccc6e9c");
        Assert.Equal([725, 950, 1000], koeln.StagesCm);
        Assert.Equal("05315000", koeln.Municipality);

        var reading = Assert.IsType<PegelReading>(Assert.Single(batch.Readings));
        Assert.Equal(bonn.Id, reading.StationId);
        Assert.Equal(88, reading.LevelCm);
        Assert.Equal(DateTimeOffset.Parse("2026-09-07T21:00:00Z"), reading.ObservedAt);
        Assert.Equal(TimeSpan.FromHours(2), reading.ObservedAt.Offset);
        Assert.DoesNotContain(batch.Rejects, r => r.Source.StartsWith("pegelonline", StringComparison.Ordinal));
    }

    [Fact]
    public void Characteristic_values_become_stages_only_when_asked_and_a_gauge_missing_them_is_reported()
    {
        var stations = TestData.File("pegel/pegelonline_stations_assembled.json");

        var without = TestData.Import("pegelonline", new FeedFormats.Inputs { Municipality = "05315000" }, stations);
        Assert.Empty(without.Registry);
        Assert.Equal(2, without.Rejects.Count(r => r.Reason.Contains("no warning stages") && r.Reason.Contains("no --stages-fallback")));

        var with = TestData.Import("pegelonline", new FeedFormats.Inputs { Municipality = "05315000", StageFallback = ["MHW", "HHW"] }, stations);
        var bonn = Assert.Single(with.Registry.OfType<PegelEntry>());
        Assert.Equal([680, 1013], bonn.StagesCm);                   // BONN's MHW and HHW in the recorded response
        var koeln = Assert.Single(with.Rejects);
        Assert.Contains("KÖLN", koeln.Reason);
        Assert.Contains("none of the characteristic values MHW, HHW", koeln.Reason);
    }

    [Fact]
    public void Timeseries_response_needs_a_station_id_and_then_gives_its_current_measurement()
    {
        var file = TestData.File("pegel/pegelonline_api_v2_BONN_W_timeseries.json");

        var anonymous = TestData.Import("pegelonline", file);
        Assert.Empty(anonymous.Readings);
        Assert.Contains("--station", Assert.Single(anonymous.Rejects).Reason);

        var named = TestData.Import("pegelonline", new FeedFormats.Inputs { StationId = "593647aa-9fea-43ec-a7d6-6476a76ae868" }, file);
        var reading = Assert.IsType<PegelReading>(Assert.Single(named.Readings));
        Assert.Equal((88.0, "2026-09-07T23:00:00+02:00"), (reading.LevelCm, reading.ObservedAt.ToString("yyyy-MM-ddTHH:mm:sszzz")));
    }

    // Hand-written in the shape of .../W/measurements.json; the levels are illustrative. Central European time
    // went from +02:00 back to +01:00 at 2025-10-26T03:00:00+02:00, so local 02:xx occurs twice.
    private const string MeasurementsAcrossDst = """
        [{"timestamp":"2025-10-26T02:00:00+01:00","value":104},
         {"timestamp":"2025-10-26T01:45:00+02:00","value":100},
         {"timestamp":"2025-10-26T02:45:00+02:00","value":103},
         {"timestamp":"2025-10-26T02:00:00+02:00","value":101},
         {"timestamp":"2025-10-26T03:00:00","value":999},
         {"timestamp":"2025-10-26T02:15:00+01:00","value":105},
         {"timestamp":"2025-10-26T02:15:00+02:00","value":102}]
        """;

    [Fact]
    public void Measurements_across_the_DST_change_are_ordered_by_instant_keep_their_offsets_and_one_without_offset_is_reported()
    {
        var batch = TestData.Import("pegelonline", new FeedFormats.Inputs { StationId = "s1" }, TestData.Temp("measurements.json", MeasurementsAcrossDst));

        var written = batch.InWriteOrder().Select(r => (PegelReading)((Model.FeedRecord.Measurement)r).Reading).ToList();
        Assert.Equal([100, 101, 102, 103, 104, 105], written.Select(r => r.LevelCm));
        Assert.Equal(["+02:00", "+02:00", "+02:00", "+02:00", "+01:00", "+01:00"], written.Select(r => r.ObservedAt.ToString("zzz")));
        var reject = Assert.Single(batch.Rejects);
        Assert.Equal("[4]", reject.Position);
        Assert.Contains("offset", reject.Reason);
    }

    [Fact]
    public void Fifteen_minute_archive_gives_one_reading_per_point()
    {
        var file = TestData.File("pegel/wsv_hires_15min_DRESDEN_2026-09-01_to_06.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var points = doc.RootElement.GetProperty("points");

        var batch = TestData.Import("pegelonline", new FeedFormats.Inputs { Municipality = "14612000" }, file);

        Assert.Equal(points.GetArrayLength(), batch.Readings.Count);
        Assert.Equal(points[10][1].GetDouble(), ((PegelReading)batch.Readings[10]).LevelCm);
        Assert.Contains("no warning stages", Assert.Single(batch.Rejects).Reason); // Dresden is not in any stages file given
    }
}
