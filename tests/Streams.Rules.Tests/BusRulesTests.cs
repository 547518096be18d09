using Streams.Contracts.Outputs;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class BusRulesTests
{
    [Fact]
    public void Late_bus_raises_delayed_at_300_s_keeps_it_without_delay_and_inside_the_band_and_clears_at_180_s()
    {
        var (state, t) = Run(
            Bus17(),
            Delay(At(10, 00), 240),
            Delay(At(10, 02), 300),  // >= 300: raised
            Delay(At(10, 04), null), // no delaySeconds: leaves the rule as it is
            Delay(At(10, 06), 200),  // inside band (180, 300): nothing
            Delay(At(10, 08), 180)); // <= 180: cleared

        Assert.Equal(2, t.Count);
        AssertTransition(t[0], "bus.delayed", AlertStates.Raised, "info", 300, 300, At(10, 02), At(10, 02));
        AssertTransition(t[1], "bus.delayed", AlertStates.Cleared, "info", 180, 180, At(10, 08), At(10, 02));
        Assert.Equal("Bus lip-bus-17 delayed: 300 s ≥ 300 s", t[0].Message);
        Assert.Equal("Bus lip-bus-17 no longer delayed: 180 s ≤ 180 s", t[1].Message);
        Assert.Equal(180, state.Bus!.DelaySeconds);
    }

    [Fact]
    public void Position_without_delay_keeps_the_last_known_delay_and_the_open_episode()
    {
        var (state, t) = Run(Bus17(), Delay(At(10, 00), 400), Delay(At(10, 02), null) with { Lat = 52.1, RouteId = "L2" });

        Assert.Single(t);
        Assert.Equal(400, state.Bus!.DelaySeconds);
        Assert.Equal(52.1, state.Bus.Lat);
        Assert.Equal("L2", state.Bus.RouteId);
        Assert.True(state.OpenEpisodes.ContainsKey("bus.delayed"));
    }
}
