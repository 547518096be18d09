using System.Runtime.Serialization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Actors.Entities;
using Streams.Actors.Serialization;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Tests;

public static class AppliedReadingsArbitrary
{
    private static readonly SensorEntry?[] Entries =
    [
        null, null, null,
        new PegelEntry("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.9, [150, 200, 250], 10, 20, 900),
        new ParkingEntry("lemgo-p1", "05766044", "P1 Regenstorplatz", 220, 90, 85, 300) { Lat = 52.03, Lon = 8.9 },
        new BusEntry("lip-bus-17", "05766044", null, 300, 180, 120),
    ];

    private static readonly Gen<string> Ids = Gen.Elements("4910010", "a", "Pegel ä/ü 🌊", "x\"y\\z", new string('k', 300));
    private static readonly Gen<string?> OptionalTexts = Gen.Elements<string?>(null, "", "L1", "Linie ß", new string('r', 200));

    private static readonly Gen<DateTimeOffset> Times =
        from seconds in Gen.Choose(946_684_800, 2_000_000_000)
        from ticks in Gen.Choose(0, 9_999_999)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static readonly Gen<double> Doubles = Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => f.Get)),
        (1, Gen.Elements(0.0, -0.0, double.Epsilon, double.MaxValue, -1000, 10000, 187.5)));

    private static readonly Gen<int?> OptionalInts = Gen.Frequency(
        (1, Gen.Constant<int?>(null)), (3, Gen.Choose(-5, 100_000).Select(i => (int?)i)), (1, Gen.Elements<int?>(int.MinValue, int.MaxValue)));

    private static readonly Gen<double?> OptionalDoubles = Gen.Frequency((1, Gen.Constant<double?>(null)), (3, Doubles.Select(d => (double?)d)));

    private static readonly Gen<Reading> Readings = Gen.OneOf(
        from id in Ids from at in Times from level in Doubles select (Reading)new PegelReading(id, at, level),
        from id in Ids from at in Times from free in OptionalInts from occupied in OptionalInts from capacity in OptionalInts
        select (Reading)new ParkingReading(id, at, free, occupied, capacity),
        from id in Ids from at in Times from lat in Doubles from lon in Doubles from route in OptionalTexts from trip in OptionalTexts
        from delay in OptionalInts from bearing in OptionalDoubles from speed in OptionalDoubles from municipality in OptionalTexts
        select (Reading)new BusPosition(id, at, lat, lon, route, trip, delay, bearing, speed, municipality));

    public static Arbitrary<SensorReadingsApplied> Applied() =>
        (from readings in Gen.ListOf(Readings.Zip(Gen.Elements(Entries)).Select(p => new AppliedReading(p.Item1, p.Item2)))
         from wallClock in Times
         select new SensorReadingsApplied(readings.Take(40).ToList(), wallClock))
        .ToArbitrary();
}

/// <summary>The binary form of the applied-readings event, without an actor system: what it writes, it reads back exactly.</summary>
public sealed class ReadingsEventCodecTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-11-25T10:15:00+01:00");

    [Property(MaxTest = 500, Arbitrary = [typeof(AppliedReadingsArbitrary)])]
    public void Every_applied_readings_event_reads_back_equal_with_its_offsets(SensorReadingsApplied applied)
    {
        var copy = ReadingsEventCodec.Read(ReadingsEventCodec.Write(applied));

        Assert.Equal((applied.WallClock, applied.WallClock.Offset), (copy.WallClock, copy.WallClock.Offset));
        Assert.Equal(applied.Readings.Count, copy.Readings.Count);
        for (var i = 0; i < applied.Readings.Count; i++)
        {
            Assert.Equal(applied.Readings[i].Reading, copy.Readings[i].Reading);
            Assert.Equal(applied.Readings[i].Reading.ObservedAt.Offset, copy.Readings[i].Reading.ObservedAt.Offset);
            Assert.Equal(applied.Readings[i].Entry, copy.Readings[i].Entry);
            if (applied.Readings[i].Entry is PegelEntry gauge)
                Assert.Equal(gauge.StagesCm, ((PegelEntry)copy.Readings[i].Entry!).StagesCm);
        }
    }

    [Fact]
    public void A_typical_batch_takes_under_a_third_of_the_bytes_of_its_json()
    {
        var applied = new SensorReadingsApplied(
            Enumerable.Range(0, 4).Select(i => new AppliedReading(
                new BusPosition("lip-bus-17", T.AddSeconds(30 * i), 52.0279, 8.8997, "L1", "L1-0712", 240, 90, 8.3, "05766044"), null)).ToList(),
            T.AddMinutes(2));

        var binary = ReadingsEventCodec.Write(applied).Length;
        var json = JsonSerializer.SerializeToUtf8Bytes(applied, StreamsJsonSerializer.Options).Length;

        Assert.True(binary * 3 < json, $"binary {binary} bytes, JSON {json} bytes");
    }

    [Fact]
    public void A_cut_short_or_unknown_event_is_a_serialization_error_not_a_wrong_event()
    {
        var bytes = ReadingsEventCodec.Write(new SensorReadingsApplied([new AppliedReading(new PegelReading("4910010", T, 187.5), null)], T));

        for (var length = 0; length < bytes.Length; length++)
            Assert.Throws<SerializationException>(() => ReadingsEventCodec.Read(bytes.AsSpan(0, length)));
        Assert.Throws<SerializationException>(() => ReadingsEventCodec.Read([.. bytes, 0]));
        Assert.Throws<SerializationException>(() => ReadingsEventCodec.Read([2, .. bytes[1..]]));
    }
}
