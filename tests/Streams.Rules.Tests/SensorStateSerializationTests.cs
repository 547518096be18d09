using System.Text.Json;
using Streams.Actors.Rules;
using Streams.Contracts;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class SensorStateSerializationTests
{
    private static SensorState RoundTrip(SensorState state) =>
        JsonSerializer.Deserialize<SensorState>(JsonSerializer.Serialize(state))!;

    [Fact]
    public void Gauge_state_with_window_trend_open_episodes_and_stale_round_trips_through_System_Text_Json()
    {
        var (state, _) = Run(Lemgo(), Level(At(10, 0), 120), Level(At(10, 30), 152), Level(At(10, 45), 205));
        state = SensorRules.CheckStale(state, Lemgo(), At(12, 0)).State;
        Assert.Equal(["pegel.rapid-rise", "pegel.stage1", "pegel.stage2", "sensor.stale"], state.OpenEpisodes.Keys);

        var back = RoundTrip(state);

        Assert.Equal(state, back);
        Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(back));
        Assert.Equal(state.OpenEpisodes.Keys, back.OpenEpisodes.Keys);
        Assert.Equal(At(10, 30).Offset, back.OpenEpisodes["pegel.stage1"].Offset);
        Assert.True(back.IsStale);

        // The restored state behaves exactly like the original.
        var next = Level(At(11, 0), 120);
        var a = SensorRules.Apply(state, Lemgo(), next, At(12, 1));
        var b = SensorRules.Apply(back, Lemgo(), next, At(12, 1));
        Assert.Equal(a.Transitions, b.Transitions);
        Assert.Equal(a.State, b.State);
    }

    [Fact]
    public void Parking_bus_and_initial_states_round_trip_through_System_Text_Json()
    {
        var (parking, _) = Run(P1(), Free(At(10, 0), 0));
        var (bus, _) = Run(Bus17(), Delay(At(10, 0), 400), Delay(At(10, 2), null));
        var initial = SensorRules.Initial(SubjectKind.Parking);

        Assert.Equal(parking, RoundTrip(parking));
        Assert.Equal(bus, RoundTrip(bus));
        Assert.Equal(initial, RoundTrip(initial));
        Assert.Equal(400, RoundTrip(bus).Bus!.DelaySeconds);
    }
}
