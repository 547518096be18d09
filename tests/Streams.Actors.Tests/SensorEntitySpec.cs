using System.Text.Json;
using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

public sealed class SensorEntitySpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(1));

    private static readonly PegelEntry Gauge = new("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.90,
        [150, 200, 250], HysteresisCm: 10, RiseCmPerHour: null, ExpectedIntervalSeconds: 900);

    private static PegelReading Level(int minutes, double cm) => new("4910010", T0.AddMinutes(minutes), cm);

    private static ApplyReadings Apply(SensorEntry entry, Reading reading) => new(reading.SubjectId, [new EntryReading(entry, reading)]);

    [Fact]
    public void A_reading_below_every_stage_is_acknowledged_as_applied_without_alerts()
    {
        var ctx = NewContext();
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        sensor.Tell(Apply(Gauge, Level(0, 120)), TestActor);

        var ack = ExpectMsg<ReadingsAck>();
        Assert.Equal(1, ack.Applied);
        Assert.Equal(0, ack.Alerts);
        Assert.Empty(Publisher.Records);
    }

    [Fact]
    public void A_sensor_does_not_keep_the_asker_of_its_last_reading_alive()
    {
        var ctx = NewContext();
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        var asker = AskOnceFromAShortLivedActor(sensor, Apply(Gauge, Level(0, 120)));

        AwaitAssert(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.False(asker.IsAlive, "the sensor still references the actor that asked it");
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Sends from a probe that is stopped once answered; returns a weak reference to the probe's actor.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference AskOnceFromAShortLivedActor(IActorRef sensor, ApplyReadings command)
    {
        var probe = CreateTestProbe();
        sensor.Tell(command, probe.Ref);
        Assert.Equal(1, probe.ExpectMsg<ReadingsAck>().Applied);
        Sys.Stop(probe.Ref);
        return new WeakReference(probe.Ref);
    }

    [Fact]
    public void Alerts_are_on_the_alerts_topic_before_the_reading_is_acknowledged()
    {
        var ctx = NewContext();
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        sensor.Tell(Apply(Gauge, Level(0, 210)), TestActor);

        var ack = ExpectMsg<ReadingsAck>();
        Assert.Equal(2, ack.Alerts);
        var alerts = Publisher.On(Topics.Alerts);
        Assert.Equal(2, alerts.Count);
        var rules = alerts.Select(r => JsonDocument.Parse(r.Value!).RootElement.GetProperty("data").GetProperty("rule").GetString()).ToList();
        Assert.Equal(["pegel.stage1", "pegel.stage2"], rules);
        Assert.All(alerts, r => Assert.Equal("pegel/4910010", System.Text.Encoding.UTF8.GetString(r.Key!)));
        Assert.All(alerts, r => Assert.Contains(r.Headers, h => h.Key == "content-type"
            && System.Text.Encoding.UTF8.GetString(h.Value) == AlertEvent.ContentType));
    }

    [Fact]
    public void A_duplicate_reading_is_acknowledged_but_changes_nothing_and_raises_nothing()
    {
        var ctx = NewContext();
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        sensor.Tell(Apply(Gauge, Level(0, 160)), TestActor);
        ExpectMsg<ReadingsAck>();
        var published = Publisher.Records.Count;

        sensor.Tell(Apply(Gauge, Level(0, 260)), TestActor);

        var ack = ExpectMsg<ReadingsAck>();
        Assert.Equal(0, ack.Applied);
        Assert.Equal(published, Publisher.Records.Count);
    }

    [Fact]
    public void A_duplicate_sent_while_the_original_is_being_written_is_answered_after_it_and_only_once_it_is_published()
    {
        var ctx = NewContext();
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        Publisher.Hold();

        sensor.Tell(Apply(Gauge, Level(0, 160)), TestActor); // raises stage 1
        sensor.Tell(Apply(Gauge, Level(0, 160)), TestActor); // the same reading again (a retry)
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));          // neither is answered while the alert is not on Kafka
        Publisher.Release();

        var first = ExpectMsg<ReadingsAck>();
        var second = ExpectMsg<ReadingsAck>();
        Assert.Equal((1, 0, 1), (first.Applied, first.Duplicates, first.Alerts));
        Assert.Equal((0, 1, 0), (second.Applied, second.Duplicates, second.Alerts));
        Assert.Single(Publisher.On(Topics.Alerts));
    }

    [Fact]
    public void When_publishing_fails_the_acknowledgment_waits_until_a_retry_succeeds()
    {
        var ctx = NewContext(new EntityTuning { PublishRetryMin = TimeSpan.FromMilliseconds(50) });
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        Publisher.FailNext(3);

        sensor.Tell(Apply(Gauge, Level(0, 155)), TestActor);

        var ack = ExpectMsg<ReadingsAck>(TimeSpan.FromSeconds(5));
        Assert.Equal(1, ack.Alerts);
        Assert.True(Publisher.Attempts >= 4);
        Assert.Single(Publisher.On(Topics.Alerts));
    }

    [Fact]
    public void Readings_sent_while_alerts_are_being_published_are_applied_in_order_after_them()
    {
        var ctx = NewContext(new EntityTuning { PublishRetryMin = TimeSpan.FromMilliseconds(50) });
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        Publisher.FailNext(2);

        sensor.Tell(Apply(Gauge, Level(0, 155)), TestActor);
        sensor.Tell(Apply(Gauge, Level(15, 130)), TestActor);

        ExpectMsg<ReadingsAck>(a => a.Applied == 1 && a.Alerts == 1, TimeSpan.FromSeconds(5));
        ExpectMsg<ReadingsAck>(a => a.Applied == 1 && a.Alerts == 1, TimeSpan.FromSeconds(5));
        var states = Publisher.On(Topics.Alerts)
            .Select(r => JsonDocument.Parse(r.Value!).RootElement.GetProperty("data").GetProperty("state").GetString()).ToList();
        Assert.Equal(["raised", "cleared"], states);
    }

    [Fact]
    public void A_restarted_entity_recovers_its_state_and_ignores_replayed_readings()
    {
        var ctx = NewContext();
        var first = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        first.Tell(Apply(Gauge, Level(0, 160)), TestActor);
        ExpectMsg<ReadingsAck>();
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        var published = Publisher.Records.Count;

        var second = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        second.Tell(Apply(Gauge, Level(0, 160)), TestActor);
        Assert.Equal(0, ExpectMsg<ReadingsAck>().Applied);
        second.Tell(new GetSensorState(Gauge.Id), TestActor);
        var state = ExpectMsg<SensorStateReply>();

        Assert.Equal(T0, state.State.LastObservedAt);
        Assert.True(state.State.OpenEpisodes.ContainsKey("pegel.stage1"));
        Assert.Equal(published, Publisher.Records.Count);
    }

    [Fact]
    public void A_sensor_already_in_the_registry_when_it_starts_recovers_after_its_first_reading()
    {
        Registry.Upsert(Gauge);
        var ctx = NewContext();
        var first = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        first.Tell(Apply(Gauge, Level(0, 120)), TestActor);
        ExpectMsg<ReadingsAck>();
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        Registry.Remove(SubjectKind.Pegel, Gauge.Id); // recovery must not depend on the registry

        var second = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        second.Tell(new GetSensorState(Gauge.Id), TestActor);

        Assert.Equal(T0, ExpectMsg<SensorStateReply>().State.LastObservedAt);
    }

    [Fact]
    public void Alerts_persisted_but_not_published_before_a_crash_are_published_after_recovery_with_the_same_ids()
    {
        var ctx = NewContext(new EntityTuning { PublishRetryMin = TimeSpan.FromSeconds(30) });
        var first = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        Publisher.FailNext(1);
        first.Tell(Apply(Gauge, Level(0, 160)), TestActor);
        AwaitCondition(() => Publisher.Attempts >= 1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        Assert.Empty(Publisher.Records);

        Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        AwaitCondition(() => Publisher.On(Topics.Alerts).Count == 1, TimeSpan.FromSeconds(5));
        var alert = JsonDocument.Parse(Publisher.On(Topics.Alerts)[0].Value!).RootElement;
        Assert.Equal("pegel.stage1", alert.GetProperty("data").GetProperty("rule").GetString());
    }

    [Fact]
    public void Every_applied_reading_is_reported_to_the_municipality()
    {
        var ctx = NewContext();
        var municipalities = CreateTestProbe();
        ctx.Regions.Set(SubjectKind.Municipality, municipalities.Ref);
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        sensor.Tell(Apply(Gauge, Level(0, 210)), TestActor);

        var changed = municipalities.FishForMessage<SensorChanged>(m => m.Summary.LastObservedAt is not null);
        Assert.Equal("05766044", changed.Municipality);
        Assert.Equal(2, changed.Summary.Stage);
    }

    [Fact]
    public void A_silent_sensor_raises_stale_on_its_own_after_three_expected_intervals()
    {
        var ctx = NewContext();
        var bus = new BusEntry("lip-bus-17", "05766044", null, 300, 180, ExpectedIntervalSeconds: 1);
        var sensor = Sensor(ctx, SubjectKind.Bus, bus.Id);
        var observed = DateTimeOffset.UtcNow;

        sensor.Tell(Apply(bus, new BusPosition(bus.Id, observed, 52.03, 8.9)), TestActor);
        ExpectMsg<ReadingsAck>();

        AwaitCondition(() => Publisher.On(Topics.Alerts).Count == 1, TimeSpan.FromSeconds(6));
        var alert = JsonDocument.Parse(Publisher.On(Topics.Alerts)[0].Value!).RootElement;
        Assert.Equal("sensor.stale", alert.GetProperty("data").GetProperty("rule").GetString());
        Assert.Equal("raised", alert.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal(observed.AddSeconds(3), alert.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public void A_sensor_read_again_goes_stale_three_intervals_after_its_last_reading_not_its_first()
    {
        var ctx = NewContext();
        var bus = new BusEntry("lip-bus-18", "05766044", null, 300, 180, ExpectedIntervalSeconds: 1);
        var sensor = Sensor(ctx, SubjectKind.Bus, bus.Id);
        var first = DateTimeOffset.UtcNow;
        sensor.Tell(Apply(bus, new BusPosition(bus.Id, first, 52.03, 8.9)), TestActor);
        ExpectMsg<ReadingsAck>();

        // The second reading moves the due time 2 s later; the timer of the first stays and fires at the old due time.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var second = first.AddSeconds(2);
        sensor.Tell(Apply(bus, new BusPosition(bus.Id, second, 52.04, 8.9)), TestActor);
        ExpectMsg<ReadingsAck>();
        Thread.Sleep(TimeSpan.FromSeconds(2)); // past the first reading's due time (3 s), before the second's (5 s)
        Assert.Empty(Publisher.On(Topics.Alerts));

        AwaitCondition(() => Publisher.On(Topics.Alerts).Count == 1, TimeSpan.FromSeconds(4));
        var alert = JsonDocument.Parse(Publisher.On(Topics.Alerts)[0].Value!).RootElement;
        Assert.Equal("sensor.stale", alert.GetProperty("data").GetProperty("rule").GetString());
        Assert.Equal(second.AddSeconds(3), alert.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public void An_outbox_recovered_from_a_snapshot_republishes_the_same_alert_ids_and_bytes()
    {
        // A snapshot after every event: recovery starts from the snapshot, not from replaying the readings.
        var ctx = NewContext(new EntityTuning { SnapshotEvery = 1, PublishRetryMin = TimeSpan.FromSeconds(30) });
        var first = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        Publisher.FailNext(int.MaxValue);
        first.Tell(Apply(Gauge, Level(0, 120)), TestActor);
        ExpectMsg<ReadingsAck>();
        first.Tell(Apply(Gauge, Level(15, 260)), TestActor); // stages 1, 2, 3 raised; the broker refuses them
        AwaitCondition(() => Publisher.Attempted.Count >= 3);
        var attempted = Publisher.Attempted.Select(r => System.Text.Encoding.UTF8.GetString(r.Value!)).ToList();
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // a snapshot of the outbox is being written meanwhile
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        Publisher.FailNext(0);
        Sensor(ctx, SubjectKind.Pegel, Gauge.Id);

        AwaitCondition(() => Publisher.On(Topics.Alerts).Count == 3, TimeSpan.FromSeconds(5));
        Assert.Equal(attempted, Publisher.On(Topics.Alerts).Select(r => System.Text.Encoding.UTF8.GetString(r.Value!)).ToList());
    }
}
