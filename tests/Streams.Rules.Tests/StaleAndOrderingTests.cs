using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class StaleRulesTests
{
    [Fact]
    public void Check_before_any_reading_raises_nothing()
    {
        var state = SensorRules.Initial(SubjectKind.Pegel);

        var result = SensorRules.CheckStale(state, Lemgo(), At(23, 0));

        Assert.False(result.Applied);
        Assert.Same(state, result.State);
        Assert.Empty(result.Transitions);
    }

    [Fact]
    public void Stale_is_raised_after_3_intervals_of_wall_clock_silence_with_time_last_observedAt_plus_3_intervals()
    {
        // interval 900 s: stale after 2700 s = 45 min. Reading observed 10:00:00, applied at wall clock 10:00:05.
        var state = SensorRules.Apply(SensorRules.Initial(SubjectKind.Pegel), Lemgo(), Level(At(10, 0), 100), At(10, 0, 5)).State;

        var early = SensorRules.CheckStale(state, Lemgo(), At(10, 45, 4)); // 2699 s
        Assert.False(early.Applied);
        Assert.Same(state, early.State);

        var stale = SensorRules.CheckStale(state, Lemgo(), At(10, 45, 5).AddMilliseconds(900)); // 2700.9 s
        Assert.True(stale.Applied);
        var t = Assert.Single(stale.Transitions);
        AssertTransition(t, "sensor.stale", AlertStates.Raised, "warning", 2700, 2700, At(10, 45), At(10, 45));
        Assert.Equal("Pegel Lemgo (Bega) silent: no reading for 2700 s ≥ 2700 s", t.Message);
        Assert.True(stale.State.IsStale);
        Assert.Equal(At(10, 45), stale.State.OpenEpisodes["sensor.stale"]);

        var again = SensorRules.CheckStale(stale.State, Lemgo(), At(11, 30));
        Assert.False(again.Applied);
        Assert.Empty(again.Transitions);
    }

    [Fact]
    public void Next_valid_reading_clears_stale_first_with_the_gap_between_readings_then_applies_the_rules()
    {
        var entry = Lemgo(riseCmPerHour: null);
        var state = SensorRules.Apply(SensorRules.Initial(SubjectKind.Pegel), entry, Level(At(10, 0), 100), At(10, 0, 5)).State;
        state = SensorRules.CheckStale(state, entry, At(10, 50)).State;

        // A late (older) reading does not clear it.
        var late = SensorRules.Apply(state, entry, Level(At(9, 55), 100), At(11, 0));
        Assert.False(late.Applied);
        Assert.True(late.State.IsStale);

        var result = SensorRules.Apply(state, entry, Level(At(11, 0), 160), At(11, 0, 2));

        Assert.Equal(2, result.Transitions.Count);
        AssertTransition(result.Transitions[0], "sensor.stale", AlertStates.Cleared, "warning", 3600, 2700, At(11, 0), At(10, 45));
        Assert.Equal("Pegel Lemgo (Bega) reporting again: 3600 s since the previous reading", result.Transitions[0].Message);
        AssertTransition(result.Transitions[1], "pegel.stage1", AlertStates.Raised, "info", 160, 150, At(11, 0), At(11, 0));
        Assert.False(result.State.IsStale);
        Assert.Equal(At(11, 0, 2), result.State.LastAppliedWallClock);
    }

    [Fact]
    public void Staleness_is_measured_in_wall_clock_time_from_when_the_last_reading_was_applied()
    {
        // Bus: interval 120 s, stale after 360 s. A reading observed long ago but applied now is not stale yet.
        var state = SensorRules.Apply(SensorRules.Initial(SubjectKind.Bus), Bus17(), Delay(At(8, 0), 0), At(10, 0)).State;

        Assert.False(SensorRules.CheckStale(state, Bus17(), At(10, 5, 59)).Applied);
        var stale = SensorRules.CheckStale(state, Bus17(), At(10, 6));
        AssertTransition(Assert.Single(stale.Transitions), "sensor.stale", AlertStates.Raised, "warning", 360, 360, At(8, 6), At(8, 6));
    }
}

public class OrderingTests
{
    [Fact]
    public void Duplicate_reading_changes_nothing_and_raises_nothing()
    {
        var entry = Lemgo();
        var first = SensorRules.Apply(SensorRules.Initial(SubjectKind.Pegel), entry, Level(At(10, 0), 187), At(10, 0));
        Assert.Single(first.Transitions);

        var duplicate = SensorRules.Apply(first.State, entry, Level(At(10, 0), 187), At(10, 1));

        Assert.False(duplicate.Applied);
        Assert.Same(first.State, duplicate.State);
        Assert.Empty(duplicate.Transitions);
    }

    [Fact]
    public void Late_reading_with_an_earlier_observedAt_changes_nothing_even_with_an_alarming_value()
    {
        var entry = Lemgo();
        var state = SensorRules.Apply(SensorRules.Initial(SubjectKind.Pegel), entry, Level(At(10, 0), 100), At(10, 0)).State;

        var late = SensorRules.Apply(state, entry, Level(At(9, 45), 400), At(10, 1));
        var sameInstantOtherOffset = SensorRules.Apply(state, entry, Level(At(10, 0).ToOffset(TimeSpan.Zero), 400), At(10, 1));

        Assert.False(late.Applied);
        Assert.Same(state, late.State);
        Assert.Empty(late.Transitions);
        Assert.False(sameInstantOtherOffset.Applied);
        Assert.Empty(sameInstantOtherOffset.Transitions);
    }

    [Fact]
    public void Replaying_all_readings_after_the_last_one_changes_nothing()
    {
        var entry = P1();
        var readings = new[] { Free(At(10, 0), 100), Free(At(10, 5), 0), Free(At(10, 10), 50) };
        var (state, _) = Run(entry, readings);

        foreach (var r in readings)
        {
            var replay = SensorRules.Apply(state, entry, r, At(12, 0));
            Assert.False(replay.Applied);
            Assert.Same(state, replay.State);
        }
    }
}
