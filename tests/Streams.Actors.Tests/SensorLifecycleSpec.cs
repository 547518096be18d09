using System.Text;
using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>Registry changes, retirement, staleness replay and stopping: the sensor's life beyond applying readings.</summary>
public sealed class SensorLifecycleSpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly ParkingEntry CarPark = new("p1", "05766044", "P1 Regenstorplatz", 100, 90, 85, 300);

    private static ApplyReadings Apply(SensorEntry entry, Reading reading) => new(reading.SubjectId, [new EntryReading(entry, reading)]);

    private static ParkingReading Free(int minutes, int free) => new("p1", T0.AddMinutes(minutes), free, null, null);

    private (EntityContext Ctx, Akka.TestKit.TestProbe Municipalities) ContextWithProbe(EntityTuning? tuning = null)
    {
        var ctx = NewContext(tuning);
        var municipalities = CreateTestProbe();
        ctx.Regions.Set(SubjectKind.Municipality, municipalities.Ref);
        return (ctx, municipalities);
    }

    private void Restart(ref IActorRef sensor, EntityContext ctx, SubjectKind kind, string id)
    {
        Watch(sensor);
        sensor.Tell(PoisonPill.Instance);
        ExpectTerminated(sensor);
        sensor = Sensor(ctx, kind, id);
    }

    [Fact]
    public void A_registry_move_of_a_silent_sensor_leaves_the_old_municipality_and_joins_the_new_one_at_once()
    {
        var (ctx, municipalities) = ContextWithProbe();
        var sensor = Sensor(ctx, SubjectKind.Parking, "p1");
        sensor.Tell(Apply(CarPark, Free(0, 50)), TestActor);
        ExpectMsg<ReadingsAck>();
        municipalities.FishForMessage<SensorChanged>(c => c.Summary.LastObservedAt is not null);

        var moved = CarPark with { Municipality = "07312000" };
        sensor.Tell(new UpdateEntry(moved));

        Assert.Equal("05766044", municipalities.ExpectMsg<SensorRemoved>().Municipality);
        var joined = municipalities.ExpectMsg<SensorChanged>();
        Assert.Equal("07312000", joined.Municipality);
        Assert.Equal(50, joined.Summary.Free);

        // The move is journaled: after a restart the sensor reports to the new municipality only.
        Restart(ref sensor, ctx, SubjectKind.Parking, "p1");
        Assert.Equal("07312000", municipalities.ExpectMsg<SensorChanged>().Municipality);
        sensor.Tell(new GetSensorState("p1"), TestActor);
        ExpectMsg<SensorStateReply>();
        municipalities.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_retired_sensor_refuses_a_retried_reading_and_does_not_report_itself_again_even_after_a_restart()
    {
        var (ctx, municipalities) = ContextWithProbe();
        var sensor = Sensor(ctx, SubjectKind.Parking, "p1");
        sensor.Tell(Apply(CarPark, Free(0, 50)), TestActor);
        ExpectMsg<ReadingsAck>();

        sensor.Tell(new RetireSensor("p1"));
        municipalities.FishForMessage<SensorRemoved>(r => r.SensorId == "p1");
        Watch(sensor);
        ExpectTerminated(sensor); // retirement stops it once the event is written

        var again = Sensor(ctx, SubjectKind.Parking, "p1"); // the retry starts a new incarnation
        again.Tell(Apply(CarPark, Free(5, 40)), TestActor);

        ExpectMsg<ReadingsRefused>();
        again.Tell(new GetSensorState("p1"), TestActor);
        Assert.Equal(T0, ExpectMsg<SensorStateReply>().State.LastObservedAt); // the refused reading changed nothing
        municipalities.ExpectNoMsg(TimeSpan.Zero); // it did not rejoin (checked after a later answer, not a sleep)
    }

    [Fact]
    public void A_retired_sensor_registered_again_accepts_readings()
    {
        var (ctx, _) = ContextWithProbe();
        var sensor = Sensor(ctx, SubjectKind.Parking, "p1");
        sensor.Tell(Apply(CarPark, Free(0, 50)), TestActor);
        ExpectMsg<ReadingsAck>();
        sensor.Tell(new RetireSensor("p1"));
        Watch(sensor);
        ExpectTerminated(sensor);

        var again = Sensor(ctx, SubjectKind.Parking, "p1");
        again.Tell(new UpdateEntry(CarPark with { Name = "P1 neu" }));
        again.Tell(Apply(CarPark, Free(5, 40)), TestActor);

        Assert.Equal(1, ExpectMsg<ReadingsAck>().Applied);
    }

    [Fact]
    public void A_stale_alert_raised_under_a_changed_entry_is_republished_with_the_same_bytes_after_a_crash()
    {
        var bus = new BusEntry("lip-bus-17", "05766044", "Linie 1", 300, 180, ExpectedIntervalSeconds: 1);
        var (ctx, _) = ContextWithProbe(new EntityTuning { PublishRetryMin = TimeSpan.FromSeconds(30) });
        var sensor = Sensor(ctx, SubjectKind.Bus, bus.Id);
        sensor.Tell(Apply(bus, new BusPosition(bus.Id, DateTimeOffset.UtcNow, 52.03, 8.9)), TestActor);
        ExpectMsg<ReadingsAck>();

        // The registry renames the vehicle while it is silent; the sensor applies it and then goes stale under it.
        var renamed = bus with { Name = "Linie 1 (Ersatzverkehr)" };
        Publisher.FailNext(int.MaxValue);
        sensor.Tell(new UpdateEntry(renamed));
        AwaitCondition(() => Publisher.Attempted.Any(r => Encoding.UTF8.GetString(r.Value!).Contains("sensor.stale")), TimeSpan.FromSeconds(8));
        var attempted = Publisher.Attempted.Single(r => Encoding.UTF8.GetString(r.Value!).Contains("sensor.stale")).Value!;
        Assert.Contains("Ersatzverkehr", Encoding.UTF8.GetString(attempted));

        // Crash before the publication is recorded; the registry changes once more; recovery republishes.
        Registry.Upsert(bus with { Name = "Linie 1 (wieder normal)" });
        Watch(sensor);
        Sys.Stop(sensor);
        ExpectTerminated(sensor);
        Publisher.FailNext(0);
        Sensor(ctx, SubjectKind.Bus, bus.Id);

        AwaitCondition(() => Publisher.On(Topics.Alerts).Any(r => Encoding.UTF8.GetString(r.Value!).Contains("sensor.stale")), TimeSpan.FromSeconds(5));
        var republished = Publisher.On(Topics.Alerts).First(r => Encoding.UTF8.GetString(r.Value!).Contains("sensor.stale")).Value!;
        Assert.Equal(attempted, republished);
    }

    [Fact]
    public void A_stopping_entity_finishes_its_publication_before_it_stops()
    {
        var gauge = new PegelEntry("g1", "05766044", "G", null, null, null, [100], 10, null, 900);
        var (ctx, _) = ContextWithProbe();
        var sensor = Sensor(ctx, SubjectKind.Pegel, gauge.Id);
        Watch(sensor);
        Publisher.Hold();
        sensor.Tell(Apply(gauge, new PegelReading("g1", T0, 150)), TestActor);
        AwaitCondition(() => Publisher.Attempts >= 1);

        sensor.Tell(StopEntity.Instance);
        sensor.Tell(new GetSensorState("g1"), TestActor);
        ExpectMsg<SensorStateReply>(); // still running while its publication is in flight
        Publisher.Release();

        ExpectMsg<ReadingsAck>();
        ExpectTerminated(sensor);
        Assert.Single(Publisher.On(Topics.Alerts));
    }

    [Fact]
    public void A_stopping_entity_whose_publication_keeps_failing_gives_up_after_its_timeout_and_tells_the_asker_to_retry()
    {
        var gauge = new PegelEntry("g1", "05766044", "G", null, null, null, [100], 10, null, 900);
        var (ctx, municipalities) = ContextWithProbe(new EntityTuning { StopTimeout = TimeSpan.FromMilliseconds(300), PublishRetryMin = TimeSpan.FromMilliseconds(50) });
        var sensor = Sensor(ctx, SubjectKind.Pegel, gauge.Id);
        Watch(sensor);
        Publisher.FailNext(int.MaxValue);
        sensor.Tell(Apply(gauge, new PegelReading("g1", T0, 150)), TestActor);
        AwaitCondition(() => Publisher.Attempts >= 1);

        sensor.Tell(StopEntity.Instance);

        ExpectMsg<ReadingsNotStored>();
        ExpectTerminated(sensor);
        // The municipality learns that alerts are owed, so it wakes the sensor again later.
        municipalities.FishForMessage<SensorChanged>(c => c.Summary.OwesAlerts);
    }
}
