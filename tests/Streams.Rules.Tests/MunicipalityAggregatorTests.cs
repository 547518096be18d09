using Streams.Actors.Aggregates;
using Streams.Actors.Rules;
using Streams.Contracts;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class MunicipalityAggregatorTests
{
    private static SensorSummary Parking(string id, DateTimeOffset? at, bool stale, int? capacity, int? occupied, bool almostFull = false, bool full = false, int open = 0) =>
        new(SubjectKind.Parking, id, "05766044", at, stale, open, null, false, capacity, occupied, capacity - occupied, almostFull, full, null, false);

    private static SensorSummary Bus(string id, DateTimeOffset? at, bool stale, int? delay, bool delayed = false, int open = 0) =>
        new(SubjectKind.Bus, id, "05766044", at, stale, open, null, false, null, null, null, false, false, delay, delayed);

    private static SensorSummary Gauge(string id, DateTimeOffset? at, bool stale, int? stage, bool rising = false, int open = 0) =>
        new(SubjectKind.Pegel, id, "05766044", at, stale, open, stage, rising, null, null, null, false, false, null, false);

    [Fact]
    public void Aggregate_counts_a_stale_subject_only_under_stale_and_a_subject_without_reading_only_as_known()
    {
        var subjects = new[]
        {
            Parking("p1", At(10, 0), false, 220, 198, almostFull: true, open: 1),
            Parking("p2", At(10, 1), false, 100, 50),
            Parking("p3", At(10, 2), true, 300, 300, almostFull: true, full: true, open: 3), // stale: only under stale
            Parking("p4", null, false, null, null),                                          // no reading yet
            Bus("b1", At(10, 3), false, 100),
            Bus("b2", At(10, 4), false, 401, delayed: true, open: 1),
            Bus("b3", At(10, 5), false, 20),
            Bus("b4", At(10, 20), true, 900, delayed: true, open: 2), // stale, and the latest observedAt
            Bus("b5", At(10, 6), false, null),                        // live, delay unknown
            Gauge("g1", At(10, 7), false, 2, rising: true, open: 3),
            Gauge("g2", At(10, 8), false, 0),
            Gauge("g3", At(10, 9), true, 3, rising: true, open: 5), // stale
            Gauge("g4", null, false, null),
        };

        var a = MunicipalityAggregator.Compute("05766044", "Lemgo", 1842, subjects);

        Assert.Equal(("05766044", "Lemgo", 1842L), (a.Municipality, a.Name, a.Seq));
        Assert.Equal(At(10, 20), a.AsOf);
        // parking: live p1 + p2 = 320 capacity, 248 occupied, 72 free, 77.5 %.
        Assert.Equal(new Streams.Contracts.Outputs.ParkingAggregate(4, 320, 248, 72, 77.5, 1, 0, 1), a.Parking);
        // bus: live delays 100, 401, 20: mean 173.666.. -> 173.7, max 401.
        Assert.Equal(new Streams.Contracts.Outputs.BusAggregate(5, 1, 1, 173.7, 401), a.Bus);
        Assert.Equal(4, a.Pegel.Stations);
        Assert.Equal(2, a.Pegel.MaxStage);
        Assert.Equal([1, 0, 1, 0, 0], a.Pegel.AtStage);
        Assert.Equal(1, a.Pegel.Rising);
        Assert.Equal(1, a.Pegel.Stale);
        Assert.Equal(15, a.OpenAlerts); // all open episodes, stale subjects included
    }

    [Fact]
    public void Aggregate_of_nothing_is_all_zero_as_of_the_unix_epoch()
    {
        var a = MunicipalityAggregator.Compute("07312000", null, 1, []);

        Assert.Equal(DateTimeOffset.UnixEpoch, a.AsOf);
        Assert.Equal(new Streams.Contracts.Outputs.ParkingAggregate(0, 0, 0, 0, 0, 0, 0, 0), a.Parking);
        Assert.Equal(new Streams.Contracts.Outputs.BusAggregate(0, 0, 0, 0, 0), a.Bus);
        Assert.Equal([0, 0, 0, 0, 0], a.Pegel.AtStage);
        Assert.Equal((0, 0, 0, 0), (a.Pegel.Stations, a.Pegel.MaxStage, a.Pegel.Rising, a.Pegel.Stale));
        Assert.Equal(0, a.OpenAlerts);
    }

    [Fact]
    public void Occupancy_percent_is_rounded_to_one_decimal()
    {
        // 2 / 3 = 66.666.. % -> 66.7
        var a = MunicipalityAggregator.Compute("05766044", "Lemgo", 1, [Parking("p1", At(10, 0), false, 3, 2)]);

        Assert.Equal(66.7, a.Parking.OccupancyPercent);
    }

    [Fact]
    public void Summaries_of_rule_states_feed_the_aggregate_and_a_car_park_turning_stale_leaves_the_sums()
    {
        var (parking, _) = Run(P1(), Free(At(10, 0), 0)); // full + almost-full
        var (gauge, _) = Run(Lemgo(), Level(At(10, 0), 120), Level(At(10, 30), 210)); // stage 2, rapid rise
        var (bus, _) = Run(Bus17(), Delay(At(10, 0), 400));

        var sp = MunicipalityAggregator.Summarize(P1(), parking);
        var sg = MunicipalityAggregator.Summarize(Lemgo(), gauge);
        var sb = MunicipalityAggregator.Summarize(Bus17(), bus);

        Assert.Equal(new SensorSummary(SubjectKind.Parking, "lemgo-p1", "05766044", At(10, 0), false, 2, null, false, 220, 220, 0, true, true, null, false), sp with { StaleDueAt = null });
        Assert.Equal(new SensorSummary(SubjectKind.Pegel, "4910010", "05766044", At(10, 30), false, 3, 2, true, null, null, null, false, false, null, false), sg with { StaleDueAt = null });
        Assert.Equal(new SensorSummary(SubjectKind.Bus, "lip-bus-17", "05766044", At(10, 0), false, 1, null, false, null, null, null, false, false, 400, true), sb with { StaleDueAt = null });
        // The municipality wakes a sleeping sensor for its staleness check at this time.
        Assert.Equal(parking.LastAppliedWallClock + P1().StaleAfter, sp.StaleDueAt);
        Assert.Equal(gauge.LastAppliedWallClock + Lemgo().StaleAfter, sg.StaleDueAt);

        var live = MunicipalityAggregator.Compute("05766044", "Lemgo", 1, [sp, sg, sb]);
        Assert.Equal(new Streams.Contracts.Outputs.ParkingAggregate(1, 220, 220, 0, 100, 1, 1, 0), live.Parking);
        Assert.Equal(6, live.OpenAlerts);

        var staleParking = SensorRules.CheckStale(parking, P1(), At(11, 0)).State;
        var stale = MunicipalityAggregator.Compute("05766044", "Lemgo", 2, [MunicipalityAggregator.Summarize(P1(), staleParking), sg, sb]);
        Assert.Equal(new Streams.Contracts.Outputs.ParkingAggregate(1, 0, 0, 0, 0, 0, 0, 1), stale.Parking);
        Assert.Equal(7, stale.OpenAlerts);
        Assert.Equal(At(10, 30), stale.AsOf);
    }
}
