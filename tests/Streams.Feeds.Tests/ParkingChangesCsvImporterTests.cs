using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Feeds.Tests;

public sealed class ParkingChangesCsvImporterTests
{
    [Fact]
    public void A_bad_line_is_reported_with_its_line_number_and_a_place_without_metadata_gets_no_entry()
    {
        // Hand-written in the shape of defgsus/parking-data; the figures are illustrative.
        var meta = TestData.Temp("meta.csv", "place_id,place_name,city_name,num_all,address,latitude,longitude\np1,Parkhaus Eins,Trier,200,,49.75,6.64\n");
        var csv = TestData.Temp("changes.csv",
            "timestamp_utc,place_id,free_spaces\n2021-07-12T00:00:01+00:00,p1,120\n2021-07-12T00:05:01+00:00,p1,zwölf\n" +
            "2021-07-12T00:06:00+00:00,p2,7\nnot-a-time,p1,3\n2021-07-12T00:09:00+00:00,p1,201\n");

        var batch = TestData.Import("parking-csv", new FeedFormats.Inputs { ParkingMetaPath = meta, Municipality = "07211000" }, csv);

        Assert.Equal(["line 3", "line 4", "line 5", "line 6"], batch.Rejects.Select(r => r.Position));
        Assert.Contains("free_spaces", batch.Rejects[0].Reason);
        Assert.Contains("no capacity in the metadata", batch.Rejects[1].Reason);
        Assert.Contains("timestamp_utc", batch.Rejects[2].Reason);
        Assert.StartsWith("out-of-range", batch.Rejects[3].Reason);  // 201 free of 200: the contract's validator says no
        Assert.Equal(["p1", "p2"], batch.Readings.Select(r => r.SubjectId));
        Assert.Equal("p1", Assert.Single(batch.Registry).Id);
    }

    [Fact]
    public void The_Trier_flood_week_converts_every_line_or_reports_it()
    {
        var csv = TestData.Shared("parking/parking_trier_2021-07-12_to_18_changes.csv");
        var dataLines = File.ReadLines(csv).Skip(1).Count(l => l.Length > 0);

        var batch = TestData.Import("parking-csv",
            new FeedFormats.Inputs { ParkingMetaPath = TestData.Shared("parking/parking_meta_bielefeld_paderborn_trier.csv"), Municipality = "07211000" }, csv);

        Assert.Equal(dataLines, batch.Readings.Count + batch.Rejects.Count(r => r.Source == Path.GetFileName(csv) && !r.Reason.StartsWith("place ", StringComparison.Ordinal)));
        Assert.Equal(13, batch.Readings.Select(r => r.SubjectId).Distinct().Count());
        Assert.All(batch.Readings.Cast<ParkingReading>(), r => Assert.True(r.Capacity is null || r.Free <= r.Capacity));
        Assert.Contains(batch.Rejects, r => r.Reason.Contains("swt-trier-parken-Euro: no capacity"));  // num_all is empty for it
        Assert.NotEmpty(batch.Registry.OfType<ParkingEntry>());
    }
}
