using Akka.Actor;
using Akka.Persistence;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>
/// What waking a sensor replays: a sensor that sleeps between its readings (a gauge every 15 minutes, passivated after
/// 2) must not replay its whole history at every wake.
/// </summary>
public sealed class SensorSnapshotSpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static readonly PegelEntry Gauge = new("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.90,
        [150, 200, 250], HysteresisCm: 10, RiseCmPerHour: null, ExpectedIntervalSeconds: 900);

    private const string PersistenceId = "sensor-pegel-4910010";

    /// <summary>One incarnation: start, one reading below every stage (one event, no alerts), stop as the shard stops it.</summary>
    private void OneReadingThenSleep(EntityContext ctx, int reading)
    {
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        sensor.Tell(new ApplyReadings(Gauge.Id, [new EntryReading(Gauge, new PegelReading(Gauge.Id, T0.AddMinutes(15 * reading), 100 + reading))]), TestActor);
        Assert.Equal(1, ExpectMsg<ReadingsAck>().Applied);
        Watch(sensor);
        sensor.Tell(StopEntity.Instance);
        ExpectTerminated(sensor);
    }

    private long? LatestSnapshotSequenceNr()
    {
        Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null)
            .Tell(new LoadSnapshot(PersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<LoadSnapshotResult>().Snapshot?.Metadata.SequenceNr;
    }

    private List<long> EventsInJournal()
    {
        Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null)
            .Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, PersistenceId, TestActor), TestActor);
        var sequenceNrs = new List<long>();
        while (true)
        {
            switch (ExpectMsg<object>())
            {
                case ReplayedMessage m: sequenceNrs.Add(m.Persistent.SequenceNr); break;
                case RecoverySuccess: return sequenceNrs;
                case var other: throw new Xunit.Sdk.XunitException($"unexpected answer from the journal: {other}");
            }
        }
    }

    private DateTimeOffset? RecoveredLastObservedAt(EntityContext ctx)
    {
        var sensor = Sensor(ctx, SubjectKind.Pegel, Gauge.Id);
        sensor.Tell(new GetSensorState(Gauge.Id), TestActor);
        return ExpectMsg<SensorStateReply>().State.LastObservedAt;
    }

    [Fact]
    public void A_sensor_woken_for_each_reading_still_snapshots_every_SnapshotEvery_events_and_deletes_the_events_before()
    {
        var ctx = NewContext(new EntityTuning { SnapshotEvery = 3, SnapshotOnStopAfter = 0 });

        for (var i = 0; i < 7; i++) OneReadingThenSleep(ctx, i);

        Assert.Equal(6, LatestSnapshotSequenceNr());
        Assert.Equal([7], EventsInJournal());
        Assert.Equal(T0.AddMinutes(15 * 6), RecoveredLastObservedAt(ctx));
    }

    [Fact]
    public void A_sensor_stopping_with_SnapshotOnStopAfter_events_since_its_snapshot_saves_one_so_its_next_wake_replays_none()
    {
        var ctx = NewContext(new EntityTuning { SnapshotEvery = 200, SnapshotOnStopAfter = 2 });

        OneReadingThenSleep(ctx, 0);
        Assert.Null(LatestSnapshotSequenceNr()); // one event is not worth a snapshot
        Assert.Equal([1], EventsInJournal());

        OneReadingThenSleep(ctx, 1);
        Assert.Equal(2, LatestSnapshotSequenceNr());
        Assert.Empty(EventsInJournal());
        Assert.Equal(T0.AddMinutes(15), RecoveredLastObservedAt(ctx));
    }

    [Fact]
    public void A_sensor_stops_without_a_snapshot_while_every_slot_for_one_is_taken_and_gives_its_slot_back_when_stopped()
    {
        var ctx = NewContext(new EntityTuning { SnapshotEvery = 200, SnapshotOnStopAfter = 1, StopSnapshotsInFlight = 1 });
        Assert.True(ctx.StopSnapshots.TryTake()); // another sensor's stop holds the only slot

        OneReadingThenSleep(ctx, 0);
        Assert.Null(LatestSnapshotSequenceNr());
        Assert.Equal([1], EventsInJournal());
        Assert.Equal((0L, 1L), (ctx.Metrics.StopSnapshotsTaken, ctx.Metrics.StopSnapshotsSkipped)); // counted for ops

        ctx.StopSnapshots.Return();
        OneReadingThenSleep(ctx, 1);
        Assert.Equal(2, LatestSnapshotSequenceNr());
        Assert.Equal(0, ctx.StopSnapshots.Taken);
        Assert.Equal((1L, 1L), (ctx.Metrics.StopSnapshotsTaken, ctx.Metrics.StopSnapshotsSkipped));
    }
}
