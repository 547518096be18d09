using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Feeds.Model;

namespace Streams.Feeds.Tests;

public sealed class FeedBatchTests
{
    [Fact]
    public void A_record_the_contract_validator_refuses_is_reported_with_its_reason_and_not_kept()
    {
        var batch = new FeedBatch();

        Assert.False(batch.AddReading(new PegelReading("s1", DateTimeOffset.Parse("2024-01-05T12:00:00+01:00"), 20_000), "f.csv", "line 2"));
        Assert.False(batch.AddRegistry(new PegelEntry("s1", "05315000", null, null, null, null, [950, 725], 10, null, 900), "f.csv", "line 2"));

        Assert.Empty(batch.Readings);
        Assert.Empty(batch.Registry);
        Assert.StartsWith("out-of-range", batch.Rejects[0].Reason);
        Assert.StartsWith("invalid-field", batch.Rejects[1].Reason);  // stages not ascending
    }

    [Fact]
    public void Records_are_written_registry_first_municipalities_before_sensors_then_readings_in_event_time_order()
    {
        var batch = new FeedBatch();
        var t = DateTimeOffset.Parse("2024-01-05T12:00:00+01:00");
        batch.AddReading(new PegelReading("s1", t.AddHours(2), 700), "f", "1");
        batch.AddRegistry(new PegelEntry("s1", "05315000", null, null, null, null, [725], 10, null, 900), "f", "2");
        batch.AddReading(new PegelReading("s2", t, 300), "f", "3");
        batch.AddRegistry(new MunicipalityEntry("05315000", "Köln", null), "f", "4");
        batch.AddReading(new PegelReading("s1", t.AddHours(1), 650), "f", "5");

        Assert.Equal(["municipality/05315000", "pegel/s1", "s2", "s1", "s1"], batch.InWriteOrder().Select(r => r.Key));
        Assert.Equal([null, null, t, t.AddHours(1), t.AddHours(2)], batch.InWriteOrder().Select(r => r.ObservedAt));
    }
}
