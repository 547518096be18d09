using Google.Protobuf;
using Streams.Contracts.Readings;
using Streams.Feeds.Transit.Realtime;

namespace Streams.Feeds.Tests;

public sealed class GtfsRealtimeImporterTests
{
    private static readonly string Positions = TestData.File("transit/metrotransit/vehiclePositions.pb");
    private static readonly string Gtfs = TestData.File("transit/metrotransit/gtfs.zip");

    private static FeedMessage Real() => FeedMessage.Parser.ParseFrom(File.ReadAllBytes(Positions));

    [Fact]
    public void The_Metro_Transit_vehicle_positions_become_bus_readings()
    {
        var batch = TestData.Import("gtfs-rt", new FeedFormats.Inputs { GtfsStaticPath = Gtfs }, Positions);

        Assert.Equal(11, batch.Readings.Count);                                  // SOURCES.md: 11 vehicles
        Assert.Empty(batch.Rejects);
        var first = Real().Entity[0].Vehicle;
        var reading = Assert.IsType<BusPosition>(Assert.Single(batch.Readings, r => r.SubjectId == first.Vehicle.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)first.Timestamp), reading.ObservedAt);
        Assert.Equal(Math.Round(first.Position.Latitude, 6), reading.Lat);
        Assert.Equal(first.Trip.TripId, reading.TripId);
        Assert.NotNull(reading.RouteId);
    }

    [Fact]
    public void A_truncated_protobuf_is_reported_and_nothing_is_read_from_it()
    {
        var bytes = File.ReadAllBytes(Positions);

        var batch = TestData.Import("gtfs-rt", TestData.Temp("truncated.pb", bytes[..(bytes.Length / 2)]));

        Assert.Empty(batch.Readings);
        var reject = Assert.Single(batch.Rejects);
        Assert.Equal(("truncated.pb", "file"), (reject.Source, reject.Position));
        Assert.Contains("truncated or corrupt", reject.Reason);
    }

    [Fact]
    public void Vehicles_without_timestamp_or_position_are_reported_and_one_without_trip_is_still_a_reading()
    {
        var feed = Real();
        feed.Entity[0].Vehicle.ClearTimestamp();
        feed.Entity[1].Vehicle.Position = null;
        feed.Entity[2].Vehicle.Trip = null;
        var noTrip = feed.Entity[2].Vehicle.Vehicle.Id;

        var batch = TestData.Import("gtfs-rt", TestData.Temp("edited.pb", feed.ToByteArray()));

        Assert.Equal(2, batch.Rejects.Count);
        Assert.StartsWith("entity 0", batch.Rejects[0].Position);
        Assert.EndsWith("no timestamp", batch.Rejects[0].Reason);
        Assert.StartsWith("entity 1", batch.Rejects[1].Position);
        Assert.EndsWith("no position", batch.Rejects[1].Reason);
        var reading = Assert.IsType<BusPosition>(Assert.Single(batch.Readings, r => r.SubjectId == noTrip));
        Assert.Equal((null, null), (reading.TripId, reading.RouteId));
        Assert.Equal(9, batch.Readings.Count);
    }

    [Fact]
    public void The_delay_of_a_trip_update_goes_to_the_vehicle_on_that_trip_and_the_route_comes_from_the_static_feed()
    {
        var feed = Real();
        var vehicle = feed.Entity[3].Vehicle;
        vehicle.Trip.ClearRouteId();
        // Hand-written TripUpdates for two real trips of the sample: one with a delay, one with stop time updates only.
        var updates = new FeedMessage { Header = new FeedHeader { GtfsRealtimeVersion = "2.0", Timestamp = feed.Header.Timestamp } };
        updates.Entity.Add(new FeedEntity { Id = "u1", TripUpdate = new TripUpdate { Trip = new TripDescriptor { TripId = vehicle.Trip.TripId }, Delay = 240 } });
        var other = feed.Entity[4].Vehicle;
        var stops = new TripUpdate { Trip = new TripDescriptor { TripId = other.Trip.TripId } };
        stops.StopTimeUpdate.Add(new TripUpdate.Types.StopTimeUpdate { StopSequence = 5, Arrival = new TripUpdate.Types.StopTimeEvent { Delay = 420 } });
        updates.Entity.Add(new FeedEntity { Id = "u2", TripUpdate = stops });

        var batch = TestData.Import("gtfs-rt", new FeedFormats.Inputs { GtfsStaticPath = Gtfs },
            TestData.Temp("positions.pb", feed.ToByteArray()), TestData.Temp("updates.pb", updates.ToByteArray()));

        var delayed = Assert.IsType<BusPosition>(Assert.Single(batch.Readings, r => r.SubjectId == vehicle.Vehicle.Id));
        Assert.Equal(240, delayed.DelaySeconds);
        Assert.False(string.IsNullOrEmpty(delayed.RouteId));                     // from trips.txt of gtfs.zip
        Assert.Equal(420, ((BusPosition)Assert.Single(batch.Readings, r => r.SubjectId == other.Vehicle.Id)).DelaySeconds);
        Assert.All(batch.Readings.Where(r => r.SubjectId != vehicle.Vehicle.Id && r.SubjectId != other.Vehicle.Id),
            r => Assert.Null(((BusPosition)r).DelaySeconds));
    }
}
