using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class ParkingRulesTests
{
    private const string Raised = AlertStates.Raised;
    private const string Cleared = AlertStates.Cleared;

    [Fact]
    public void Car_park_filling_to_full_and_emptying_raises_and_clears_almost_full_and_full_with_hysteresis()
    {
        // capacity 220: almost full at >= 90 % (198 occupied), clears below 85 % (< 187 occupied);
        // full at free <= 0, clears at free >= max(1, ceil(4.4)) = 5.
        var (state, t) = Run(
            P1(),
            Free(At(10, 00), 100), // 120 occupied, 54.5 %
            Free(At(10, 05), 22),  // 198 occupied = 90 %: almost-full
            Free(At(10, 10), 30),  // 190 occupied = 86.4 %: inside band
            Free(At(10, 15), 0),   // full
            Free(At(10, 20), 4),   // 4 < 5: still full
            Free(At(10, 25), 5),   // full cleared
            Free(At(10, 30), 1),   // 1 > 0: not full again; 99.5 %: still almost full
            Free(At(10, 35), 34)); // 186 occupied = 84.545 %: almost-full cleared

        Assert.Equal(4, t.Count);
        AssertTransition(t[0], "parking.almost-full", Raised, "info", 90, 90, At(10, 05), At(10, 05));
        AssertTransition(t[1], "parking.full", Raised, "warning", 0, 0, At(10, 15), At(10, 15));
        AssertTransition(t[2], "parking.full", Cleared, "warning", 5, 5, At(10, 25), At(10, 15));
        AssertTransition(t[3], "parking.almost-full", Cleared, "info", 84.545454545, 85, At(10, 35), At(10, 05));

        Assert.Equal("Parking P1 Regenstorplatz almost full: 90 % ≥ 90 %", t[0].Message);
        Assert.Equal("Parking P1 Regenstorplatz full: 0 free ≤ 0", t[1].Message);
        Assert.Equal("Parking P1 Regenstorplatz no longer full: 5 free ≥ 5", t[2].Message);
        Assert.Equal("Parking P1 Regenstorplatz no longer almost full: 84.55 % < 85 %", t[3].Message);
        Assert.All(t, x => Assert.Null(x.Stage));

        Assert.Empty(state.OpenEpisodes);
        Assert.Equal((220, 186, 34), (state.Parking!.Capacity, state.Parking.Occupied, state.Parking.Free));
    }

    [Fact]
    public void Filling_in_one_step_raises_almost_full_before_full_and_emptying_clears_full_before_almost_full()
    {
        var (_, t) = Run(P1(), Free(At(10, 00), 100), Free(At(10, 05), 0), Free(At(10, 10), 200));

        Assert.Equal(4, t.Count);
        AssertTransition(t[0], "parking.almost-full", Raised, "info", 100, 90, At(10, 05), At(10, 05));
        AssertTransition(t[1], "parking.full", Raised, "warning", 0, 0, At(10, 05), At(10, 05));
        AssertTransition(t[2], "parking.full", Cleared, "warning", 200, 5, At(10, 10), At(10, 05));
        AssertTransition(t[3], "parking.almost-full", Cleared, "info", 9.090909091, 85, At(10, 10), At(10, 05));
    }

    [Fact]
    public void Occupied_takes_precedence_over_free_and_a_reading_capacity_overrides_the_registry()
    {
        // capacity 100 from the reading: occupied 90 -> free 10 (the reading's free 50 is ignored), 90 %.
        var reading = new ParkingReading("lemgo-p1", At(10, 00), Free: 50, Occupied: 90, Capacity: 100);
        var (state, t) = Run(P1(), reading);

        AssertTransition(Assert.Single(t), "parking.almost-full", Raised, "info", 90, 90, At(10, 00), At(10, 00));
        Assert.Equal((100, 90, 10, 90.0), (state.Parking!.Capacity, state.Parking.Occupied, state.Parking.Free, state.Parking.OccupancyPercent));
    }

    [Fact]
    public void Over_full_car_park_has_negative_free_and_is_full()
    {
        var (state, t) = Run(P1(), new ParkingReading("lemgo-p1", At(10, 00), null, 230, null));

        Assert.Equal(["parking.almost-full", "parking.full"], t.Select(x => x.Rule));
        Assert.Equal(-10, t[1].Value);
        Assert.Equal(-10, state.Parking!.Free);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 1)]
    [InlineData(50, 1)]
    [InlineData(51, 2)]
    [InlineData(220, 5)]
    [InlineData(1000, 20)]
    public void Full_clears_at_max_of_1_and_2_percent_of_capacity_rounded_up(int capacity, int clearLevel) =>
        Assert.Equal(clearLevel, Streams.Actors.Rules.SensorRules.FullClearLevel(capacity));
}
