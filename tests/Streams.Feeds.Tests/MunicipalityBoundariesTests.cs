using Streams.Contracts.Registry;
using Streams.Feeds.Geo;
using Streams.Feeds.Model;

namespace Streams.Feeds.Tests;

public sealed class MunicipalityBoundariesTests
{
    [Fact]
    public void Features_become_municipality_entries_one_without_AGS_is_reported_and_points_are_placed_by_area()
    {
        var batch = new FeedBatch();
        var boundaries = MunicipalityBoundaries.Load(TestData.File("geo/municipalities_bounding_boxes.geojson"), batch);

        Assert.Equal(["05315000", "05314000", "07312000"], boundaries.Entries.Select(e => e.Id));
        Assert.Equal("Köln", batch.Registry.OfType<MunicipalityEntry>().Single(e => e.Id == "05315000").Name);
        Assert.NotNull(batch.Registry.OfType<MunicipalityEntry>().First().Boundary);
        Assert.Equal("features[3]", Assert.Single(batch.Rejects).Position);
        Assert.Equal("05315000", boundaries.Locate(50.9369, 6.9633));   // Köln gauge
        Assert.Equal("07312000", boundaries.Locate(49.4417, 7.7728));   // PH Lutrinastraße
        Assert.Null(boundaries.Locate(52.03, 8.90));                    // Lemgo: in none of them
    }
}
