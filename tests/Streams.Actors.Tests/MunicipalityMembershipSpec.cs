using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Streams.Actors.Aggregates;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>Who counts in a municipality, across restarts, and which sensors it wakes (only those that are due).</summary>
public sealed class MunicipalityMembershipSpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private const string Lemgo = "05766044";
    private static readonly EntityTuning Fast = new()
    {
        AggregateConflation = TimeSpan.FromMilliseconds(50),
        AggregateHeartbeat = TimeSpan.FromSeconds(1),
        MunicipalitySnapshotInterval = TimeSpan.Zero,
    };

    private static SensorSummary Parking(string id, DateTimeOffset at, DateTimeOffset? staleDue = null) => new(
        SubjectKind.Parking, id, Lemgo, at, IsStale: false, OpenAlerts: 0, Stage: null, Rising: false,
        Capacity: 100, Occupied: 10, Free: 90, AlmostFull: false, Full: false, DelaySeconds: null, Delayed: false)
    { StaleDueAt = staleDue };

    private static SensorSummary StaleBus(string id, DateTimeOffset staleSince) => new(
        SubjectKind.Bus, id, Lemgo, staleSince, IsStale: true, OpenAlerts: 1, Stage: null, Rising: false,
        Capacity: null, Occupied: null, Free: null, AlmostFull: false, Full: false, DelaySeconds: 30, Delayed: false)
    { StaleDueAt = staleSince };

    private JsonElement LastAggregate() => JsonDocument.Parse(Publisher.On(Topics.Aggregates)[^1].Value!).RootElement;

    private int Facilities() => Publisher.On(Topics.Aggregates).Count == 0 ? -1 : LastAggregate().GetProperty("parking").GetProperty("facilities").GetInt32();

    private (EntityContext Ctx, Akka.TestKit.TestProbe Parking, Akka.TestKit.TestProbe Buses) Context(EntityTuning tuning)
    {
        var ctx = NewContext(tuning);
        var parking = CreateTestProbe();
        var buses = CreateTestProbe();
        ctx.Regions.Set(SubjectKind.Parking, parking.Ref);
        ctx.Regions.Set(SubjectKind.Bus, buses.Ref);
        return (ctx, parking, buses);
    }

    private IActorRef Restart(IActorRef municipality, EntityContext ctx)
    {
        Watch(municipality);
        municipality.Tell(PoisonPill.Instance);
        ExpectTerminated(municipality);
        return Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
    }

    [Fact]
    public void A_member_that_left_does_not_come_back_after_a_restart()
    {
        var (ctx, _, _) = Context(Fast);
        var municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        var t = DateTimeOffset.UtcNow;
        municipality.Tell(new SensorChanged(Parking("p1", t)));
        municipality.Tell(new SensorChanged(Parking("p2", t)));
        AwaitCondition(() => Facilities() == 2);
        AwaitCondition(() => Publisher.On(Topics.Aggregates).Count >= 3); // a heartbeat passed: a snapshot holds both
        municipality.Tell(new SensorRemoved(Lemgo, SubjectKind.Parking, "p2"));
        AwaitCondition(() => Facilities() == 1);

        municipality = Restart(municipality, ctx);
        var before = Publisher.On(Topics.Aggregates).Count;

        AwaitCondition(() => Publisher.On(Topics.Aggregates).Count > before);
        Assert.Equal(1, Facilities());
    }

    [Fact]
    public void Registered_sensors_that_never_reported_count_as_known_without_being_woken()
    {
        Registry.Upsert(new ParkingEntry("p1", Lemgo, null, 100, 90, 85, 300));
        Registry.Upsert(new ParkingEntry("p2", Lemgo, null, 100, 90, 85, 300));
        Registry.Upsert(new ParkingEntry("elsewhere", "07312000", null, 100, 90, 85, 300));
        Registry.MarkLoaded();
        var (ctx, parking, _) = Context(Fast);

        Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx)).Tell(new WakeMunicipality(Lemgo));

        AwaitCondition(() => Facilities() == 2);
        Assert.Equal(0, LastAggregate().GetProperty("parking").GetProperty("capacity").GetInt64());
        parking.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Only_the_sensor_whose_staleness_check_is_due_is_woken()
    {
        var (ctx, parking, _) = Context(Fast);
        var municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        var now = DateTimeOffset.UtcNow;
        municipality.Tell(new SensorChanged(Parking("due-soon", now, staleDue: now.AddMilliseconds(300))));
        municipality.Tell(new SensorChanged(Parking("due-later", now, staleDue: now.AddHours(1))));

        var woken = parking.ExpectMsg<CheckStaleness>(TimeSpan.FromSeconds(3));

        Assert.Equal("due-soon", woken.SensorId);
        // The sensor answers with its new due time; nothing else is woken meanwhile.
        municipality.Tell(new SensorChanged(Parking("due-soon", now, staleDue: now.AddHours(1))));
        parking.ExpectNoMsg(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public void An_unregistered_vehicle_stale_for_longer_than_the_retention_leaves_and_comes_back_with_a_reading()
    {
        Registry.MarkLoaded();
        var (ctx, _, buses) = Context(Fast with { UnregisteredStaleRetention = TimeSpan.FromSeconds(8) });
        var municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        var staleSince = DateTimeOffset.UtcNow;
        municipality.Tell(new SensorChanged(StaleBus("ghost", staleSince)));
        // Counted (as stale) while it is retained; the retention is long enough for a slow first aggregate on a busy machine.
        AwaitCondition(() => Publisher.On(Topics.Aggregates).Count > 0 && LastAggregate().GetProperty("bus").GetProperty("stale").GetInt32() == 1,
            TimeSpan.FromSeconds(7));

        AwaitCondition(() => LastAggregate().GetProperty("bus").GetProperty("vehicles").GetInt32() == 0, TimeSpan.FromSeconds(20));
        buses.ExpectNoMsg(TimeSpan.Zero); // leaving needs no wake-up

        // Gone durably: a restart does not bring it back ...
        municipality = Restart(municipality, ctx);
        municipality.Tell(new GetAggregate(Lemgo), TestActor);
        Assert.Equal(0, ExpectMsg<Streams.Contracts.Outputs.MunicipalityAggregate>().Bus.Vehicles);

        // ... but its next reading does.
        municipality.Tell(new SensorChanged(StaleBus("ghost", DateTimeOffset.UtcNow) with { IsStale = false, StaleDueAt = DateTimeOffset.UtcNow.AddHours(1) }));
        AwaitCondition(() => LastAggregate().GetProperty("bus").GetProperty("vehicles").GetInt32() == 1);
    }

    [Fact]
    public void After_a_restart_a_member_moved_or_retired_in_the_registry_meanwhile_leaves_and_its_sensor_is_told()
    {
        var stays = new ParkingEntry("stays", Lemgo, null, 100, 90, 85, 300);
        var moves = new ParkingEntry("moves", Lemgo, null, 100, 90, 85, 300);
        var retires = new ParkingEntry("retires", Lemgo, null, 100, 90, 85, 300);
        foreach (var e in new[] { stays, moves, retires }) Registry.Upsert(e);
        Registry.MarkLoaded();
        var (ctx, parking, _) = Context(Fast);
        var municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        var t = DateTimeOffset.UtcNow;
        foreach (var id in new[] { "stays", "moves", "retires" }) municipality.Tell(new SensorChanged(Parking(id, t)));
        AwaitCondition(() => Facilities() == 3);

        // While the municipality is down, the registry moves one sensor and retires another.
        Watch(municipality);
        municipality.Tell(PoisonPill.Instance);
        ExpectTerminated(municipality);
        Registry.Upsert(moves with { Municipality = "07312000" });
        Registry.Remove(SubjectKind.Parking, "retires");
        parking.ReceiveWhile<object>(_ => true, TimeSpan.FromMilliseconds(100));
        Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));

        var told = parking.ReceiveN(2, TimeSpan.FromSeconds(3)).Where(m => m is UpdateEntry or RetireSensor).ToList();
        Assert.Contains(told, m => m is UpdateEntry u && u.Entry.Id == "moves" && u.Entry.Municipality == "07312000");
        Assert.Contains(told, m => m is RetireSensor r && r.SensorId == "retires");
        AwaitCondition(() => Facilities() == 1);
    }

    [Fact]
    public void After_a_restart_members_are_asked_to_report_within_the_nodes_wake_budget_and_not_if_they_reported_by_themselves()
    {
        const int members = 60, perSecond = 20;
        var (ctx, parking, _) = Context(Fast with { WakesPerSecond = perSecond });
        var municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        var t = DateTimeOffset.UtcNow;
        for (var i = 0; i < members; i++) municipality.Tell(new SensorChanged(Parking($"p{i}", t, staleDue: t.AddHours(1))));
        AwaitCondition(() => Facilities() == members);
        AwaitCondition(() => Publisher.On(Topics.Aggregates).Count >= 3); // a heartbeat passed: a snapshot holds them all

        Watch(municipality);
        municipality.Tell(PoisonPill.Instance);
        ExpectTerminated(municipality);
        parking.ReceiveWhile<object>(_ => true, TimeSpan.FromMilliseconds(200));
        var restarted = DateTimeOffset.UtcNow;
        municipality = Sys.ActorOf(MunicipalityEntity.Props(Lemgo, ctx));
        municipality.Tell(new SensorChanged(Parking("p59", t.AddSeconds(1), staleDue: t.AddHours(1)))); // reports by itself

        var asked = new List<(string Id, TimeSpan At)>();
        parking.ReceiveWhile<object>(m =>
        {
            if (m is ReportSummary r) asked.Add((r.SensorId, DateTimeOffset.UtcNow - restarted));
            return m;
        }, TimeSpan.FromSeconds(6), msgs: members);
        Sys.Log.Info("asked: {0}", string.Join(", ", asked.Select(a => $"{a.Id}@{a.At.TotalSeconds:0.00}s")));

        Assert.Equal(members - 1, asked.Count); // everyone once, except the member that reported by itself
        Assert.DoesNotContain(asked, a => a.Id == "p59");
        // A full second's budget at once, then the rate: 59 asks take at least (59 - 20) / 20 s.
        Assert.True(asked[^1].At >= TimeSpan.FromSeconds((members - 1 - perSecond) / (double)perSecond) - TimeSpan.FromMilliseconds(200),
            $"the last ask came after {asked[^1].At.TotalSeconds:0.00} s");
        Assert.True(asked.Count(a => a.At < TimeSpan.FromSeconds(1)) <= 2 * perSecond, "at most the burst and one second's rate within the first second");
    }
}
