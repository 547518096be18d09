using System.Text.Json;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Feeds.Tests;

public sealed class ParkApiImporterTests
{
    private static readonly string Kaiserslautern = TestData.File("parking/parkapi_kaiserslautern_2021-07-13.json");

    [Fact]
    public void Open_lots_become_readings_and_closed_or_nodata_lots_are_reported_not_read_as_zero_free()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Kaiserslautern));
        var lots = doc.RootElement.GetProperty("lots").EnumerateArray().ToList();
        var open = lots.Where(l => l.GetProperty("state").GetString() == "open").ToList();

        var batch = TestData.Import("parkapi", new FeedFormats.Inputs { Municipality = "07312000" }, Kaiserslautern);

        Assert.Equal(open.Count, batch.Readings.Count);
        Assert.Equal(lots.Count, batch.Registry.Count);
        var lutrina = Assert.IsType<ParkingReading>(Assert.Single(batch.Readings, r => r.SubjectId == "kaiserslauternphlutrinastrasse"));
        Assert.Equal((23, (int?)127), (lutrina.Free, lutrina.Capacity));   // Gesamt 127, Aktuell 104
        Assert.Equal(DateTimeOffset.Parse("2021-07-13T12:46:00Z"), lutrina.ObservedAt);
        Assert.Contains(batch.Rejects, r => r.Position.Contains("kaiserslauternphmeuthstrasseangestellte") && r.Reason.StartsWith("state closed"));
        Assert.Contains(batch.Rejects, r => r.Position.Contains("kaiserslauternphcentral") && r.Reason.StartsWith("state nodata"));
        Assert.Equal(lots.Count - open.Count, batch.Rejects.Count);
    }

    [Fact]
    public void A_lot_without_coordinates_cannot_be_placed_by_boundaries_but_its_reading_is_kept()
    {
        var batch = TestData.Import("parkapi", new FeedFormats.Inputs { BoundariesPath = TestData.File("geo/municipalities_bounding_boxes.geojson") }, Kaiserslautern);

        Assert.Contains(batch.Rejects, r => r.Position.Contains("kaiserslauternphkreissparkasse") && r.Reason.Contains("no coords"));
        Assert.Contains(batch.Readings, r => r.SubjectId == "kaiserslauternphkreissparkasse");
        Assert.All(batch.Registry.OfType<ParkingEntry>(), e => Assert.Equal("07312000", e.Municipality));
        Assert.Equal(10, batch.Registry.OfType<ParkingEntry>().Count());
    }
}
