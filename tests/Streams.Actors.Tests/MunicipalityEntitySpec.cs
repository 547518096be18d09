using System.Text.Json;
using Akka.Actor;
using Streams.Actors.Aggregates;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

public sealed class MunicipalityEntitySpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private static readonly EntityTuning Fast = new()
    {
        AggregateConflation = TimeSpan.FromMilliseconds(50),
        AggregateHeartbeat = TimeSpan.FromSeconds(1),
        SeqBlock = 3,
    };

    private static SensorSummary Parking(string id, int occupied, DateTimeOffset at) => new(
        SubjectKind.Parking, id, "05766044", at, IsStale: false, OpenAlerts: 0, Stage: null, Rising: false,
        Capacity: 100, Occupied: occupied, Free: 100 - occupied, AlmostFull: false, Full: false, DelaySeconds: null, Delayed: false);

    private IReadOnlyList<JsonElement> Aggregates() =>
        Publisher.On(Topics.Aggregates).Select(r => JsonDocument.Parse(r.Value!).RootElement).ToList();

    [Fact]
    public void A_burst_of_changes_is_conflated_into_few_aggregate_records_with_the_latest_values()
    {
        var ctx = NewContext(Fast);
        Registry.Upsert(new MunicipalityEntry("05766044", "Lemgo", null));
        var municipality = Sys.ActorOf(MunicipalityEntity.Props("05766044", ctx));
        var t = DateTimeOffset.Parse("2026-11-25T10:00:00+01:00");

        for (var i = 0; i < 100; i++) municipality.Tell(new SensorChanged(Parking("p1", i % 100, t.AddSeconds(i))));

        AwaitCondition(() => Aggregates().Count > 0 && Aggregates()[^1].GetProperty("parking").GetProperty("occupied").GetInt64() == 99);
        Assert.True(Aggregates().Count < 10, $"expected conflation, got {Aggregates().Count} records for 100 changes");
        Assert.Equal("Lemgo", Aggregates()[^1].GetProperty("name").GetString());
    }

    [Fact]
    public void Seq_increases_with_every_record_and_keeps_increasing_after_a_restart()
    {
        var ctx = NewContext(Fast);
        var t = DateTimeOffset.Parse("2026-11-25T10:00:00+01:00");
        var first = Sys.ActorOf(MunicipalityEntity.Props("05766044", ctx));
        for (var i = 0; i < 5; i++)
        {
            first.Tell(new SensorChanged(Parking("p1", 10 + i, t.AddSeconds(i))));
            var expected = i + 1;
            AwaitCondition(() => Aggregates().Count >= expected);
        }
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        var before = Aggregates().Select(a => a.GetProperty("seq").GetInt64()).ToList();

        var second = Sys.ActorOf(MunicipalityEntity.Props("05766044", ctx));
        second.Tell(new SensorChanged(Parking("p1", 50, t.AddSeconds(10))));
        AwaitCondition(() => Aggregates().Count > before.Count);

        var seqs = Aggregates().Select(a => a.GetProperty("seq").GetInt64()).ToList();
        Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First), "seq: " + string.Join(",", seqs));
    }

    [Fact]
    public void While_live_the_aggregate_is_written_again_at_least_every_heartbeat()
    {
        var ctx = NewContext(Fast);
        var municipality = Sys.ActorOf(MunicipalityEntity.Props("05766044", ctx));
        municipality.Tell(new SensorChanged(Parking("p1", 10, DateTimeOffset.UtcNow)));
        AwaitCondition(() => Aggregates().Count >= 1);
        var afterChange = Aggregates().Count;

        // Nothing changes any more, yet with a 1 s heartbeat two more records follow (the wait allows for a busy machine).
        AwaitCondition(() => Aggregates().Count >= afterChange + 2, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_removed_sensor_no_longer_counts()
    {
        var ctx = NewContext(Fast);
        var municipality = Sys.ActorOf(MunicipalityEntity.Props("05766044", ctx));
        var t = DateTimeOffset.UtcNow;
        municipality.Tell(new SensorChanged(Parking("p1", 10, t)));
        municipality.Tell(new SensorChanged(Parking("p2", 20, t)));
        AwaitCondition(() => Aggregates().Count > 0 && Aggregates()[^1].GetProperty("parking").GetProperty("facilities").GetInt32() == 2);

        municipality.Tell(new SensorRemoved("05766044", SubjectKind.Parking, "p2"));

        AwaitCondition(() => Aggregates()[^1].GetProperty("parking").GetProperty("facilities").GetInt32() == 1);
    }
}
