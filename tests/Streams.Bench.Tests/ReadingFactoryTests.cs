using System.Text.Json;
using Streams.Bench.Load;

namespace Streams.Bench.Tests;

public class ReadingFactoryTests
{
    private static readonly SubjectCatalog Catalog = new(300, 7, new Mix(15, 35, 50));

    [Fact]
    public void Every_subjects_readings_are_strictly_newer_than_the_one_before_and_all_in_the_past()
    {
        var factory = new ReadingFactory(Catalog, 6_000, alertEvery: 20);
        var last = new Dictionary<int, long>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (long j = 0; j < 6_000; j++)
        {
            var r = factory.Make(j);
            Assert.True(r.ObservedAtUnixSeconds < now, $"reading {j} is in the future");
            if (last.TryGetValue(r.Subject, out var previous)) Assert.True(r.ObservedAtUnixSeconds > previous, $"reading {j} is not newer");
            last[r.Subject] = r.ObservedAtUnixSeconds;
        }
    }

    [Fact]
    public void A_reading_is_marked_alert_causing_exactly_when_it_crosses_or_clears_its_subjects_threshold()
    {
        var factory = new ReadingFactory(Catalog, 9_000, alertEvery: 5);
        var wasHigh = new Dictionary<int, bool>();
        for (long j = 0; j < 9_000; j++)
        {
            var r = factory.Make(j);
            var high = AboveThreshold(r);
            Assert.Equal(high != wasHigh.GetValueOrDefault(r.Subject), r.CausesAlert);
            wasHigh[r.Subject] = high;
        }
    }

    [Fact]
    public void About_two_readings_in_alert_every_cause_an_alert()
    {
        var factory = new ReadingFactory(Catalog, 60_000, alertEvery: 20);
        var causing = Enumerable.Range(0, 60_000).Count(j => factory.Make(j).CausesAlert);
        Assert.InRange(causing / 60_000.0, 0.09, 0.11);
    }

    [Fact]
    public void Readings_name_their_subject_in_the_key_and_in_the_id_field()
    {
        var factory = new ReadingFactory(Catalog, 600, alertEvery: 20);
        for (long j = 0; j < 600; j++)
        {
            var r = factory.Make(j);
            using var doc = JsonDocument.Parse(r.Value);
            var idField = r.Kind switch { Kind.Pegel => "stationId", Kind.Parking => "facilityId", _ => "vehicleId" };
            Assert.Equal(r.Key, doc.RootElement.GetProperty(idField).GetString());
            Assert.Equal(Catalog.Id(r.Subject), r.Key);
        }
    }

    /// <summary>The registry thresholds the catalog writes: stage 1 at 150 cm, almost full at 90 % of 200, delayed at 300 s.</summary>
    private static bool AboveThreshold(Reading r)
    {
        using var doc = JsonDocument.Parse(r.Value);
        var root = doc.RootElement;
        return r.Kind switch
        {
            Kind.Pegel => root.GetProperty("levelCm").GetDouble() >= 150,
            Kind.Parking => (200 - root.GetProperty("free").GetInt32()) * 100 / 200 >= 90,
            _ => root.GetProperty("delaySeconds").GetInt32() >= 300,
        };
    }
}
