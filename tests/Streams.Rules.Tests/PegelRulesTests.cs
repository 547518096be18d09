using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class PegelRulesTests
{
    private const string Raised = AlertStates.Raised;
    private const string Cleared = AlertStates.Cleared;

    [Fact]
    public void Contract_example_reading_of_187_cm_raises_stage1_with_the_contract_message()
    {
        var (state, transitions) = Run(Lemgo(), Level(At(10, 15), 187.0));

        var t = Assert.Single(transitions);
        AssertTransition(t, "pegel.stage1", Raised, "info", 187, 150, At(10, 15), At(10, 15));
        Assert.Equal("Pegel Lemgo (Bega) reached stage 1: 187 cm ≥ 150 cm", t.Message);
        Assert.Equal(1, t.Stage);
        Assert.Equal(0, t.PreviousStage);
        Assert.Null(t.TrendCmPerHour);
        Assert.Equal(1, state.Pegel!.Stage);
        Assert.Equal(At(10, 15), state.OpenEpisodes["pegel.stage1"]);
    }

    [Fact]
    public void Flood_wave_climbs_through_stages_1_to_3_with_rapid_rise_and_falls_back_through_oscillations_at_each_threshold()
    {
        var entry = Lemgo(); // stages 150/200/250, hysteresis 10, rise 20 cm/h
        var (state, t) = Run(
            entry,
            Level(At(10, 00), 120),
            Level(At(10, 15), 140), // window only 15 min old: no rise evaluation
            Level(At(10, 30), 152), // stage1; rise 152-120 = 32 over 30 min >= 20
            Level(At(10, 45), 205), // stage2
            Level(At(11, 00), 251), // stage3; rise 251-120 = 131, already open
            Level(At(11, 15), 255),
            Level(At(11, 30), 245), // inside stage3 band [240, 250): nothing
            Level(At(11, 45), 250), // stage3 still open: nothing
            Level(At(12, 00), 241), // band again; rise 241-251 (11:00) = -10 < 10: rapid-rise cleared
            Level(At(12, 15), 239), // < 240: stage3 cleared
            Level(At(12, 30), 199), // inside stage2 band [190, 200)
            Level(At(12, 45), 200), // stage2 still open
            Level(At(13, 00), 189), // < 190: stage2 cleared
            Level(At(13, 15), 149), // inside stage1 band [140, 150)
            Level(At(13, 30), 150), // stage1 still open
            Level(At(13, 45), 139)); // < 140: stage1 cleared

        Assert.Equal(8, t.Count);
        AssertTransition(t[0], "pegel.stage1", Raised, "info", 152, 150, At(10, 30), At(10, 30));
        AssertTransition(t[1], "pegel.rapid-rise", Raised, "warning", 32, 20, At(10, 30), At(10, 30));
        AssertTransition(t[2], "pegel.stage2", Raised, "warning", 205, 200, At(10, 45), At(10, 45));
        AssertTransition(t[3], "pegel.stage3", Raised, "critical", 251, 250, At(11, 00), At(11, 00));
        AssertTransition(t[4], "pegel.rapid-rise", Cleared, "warning", -10, 10, At(12, 00), At(10, 30));
        AssertTransition(t[5], "pegel.stage3", Cleared, "critical", 239, 240, At(12, 15), At(11, 00));
        AssertTransition(t[6], "pegel.stage2", Cleared, "warning", 189, 190, At(13, 00), At(10, 45));
        AssertTransition(t[7], "pegel.stage1", Cleared, "info", 139, 140, At(13, 45), At(10, 30));

        // Gauge extras: trend over the window (cm/h), stage after and before the reading.
        Assert.Equal(64, t[0].TrendCmPerHour!.Value, 9); // (152-120) / 0.5 h
        Assert.Equal((1, 0), (t[0].Stage, t[0].PreviousStage));
        Assert.Equal((1, 0), (t[1].Stage, t[1].PreviousStage));
        Assert.Equal((2, 1), (t[2].Stage, t[2].PreviousStage));
        Assert.Equal(131, t[3].TrendCmPerHour!.Value, 9); // (251-120) / 1 h
        Assert.Equal((3, 2), (t[3].Stage, t[3].PreviousStage));
        Assert.Equal(-16, t[5].TrendCmPerHour!.Value, 9); // (239-255) / 1 h
        Assert.Equal((2, 3), (t[5].Stage, t[5].PreviousStage));
        Assert.Equal((0, 1), (t[7].Stage, t[7].PreviousStage));

        Assert.Equal("Pegel Lemgo (Bega) reached stage 3: 251 cm ≥ 250 cm", t[3].Message);
        Assert.Equal("Pegel Lemgo (Bega) fell below stage 3: 239 cm < 240 cm", t[5].Message);
        Assert.Equal("Pegel Lemgo (Bega) rising rapidly: 32 cm in the last hour ≥ 20 cm", t[1].Message);
        Assert.Equal("Pegel Lemgo (Bega) no longer rising rapidly: -10 cm in the last hour < 10 cm", t[4].Message);

        Assert.Empty(state.OpenEpisodes);
        Assert.Equal(0, state.Pegel!.Stage);
        Assert.Equal(139, state.Pegel.LevelCm);
    }

    [Fact]
    public void Jump_from_below_stage1_to_stage3_raises_stage1_stage2_stage3_in_order_and_a_fall_clears_the_highest_first()
    {
        var (_, t) = Run(Lemgo(), Level(At(10, 00), 100), Level(At(10, 15), 260), Level(At(10, 30), 100));

        Assert.Equal(6, t.Count);
        AssertTransition(t[0], "pegel.stage1", Raised, "info", 260, 150, At(10, 15), At(10, 15));
        AssertTransition(t[1], "pegel.stage2", Raised, "warning", 260, 200, At(10, 15), At(10, 15));
        AssertTransition(t[2], "pegel.stage3", Raised, "critical", 260, 250, At(10, 15), At(10, 15));
        AssertTransition(t[3], "pegel.stage3", Cleared, "critical", 100, 240, At(10, 30), At(10, 15));
        AssertTransition(t[4], "pegel.stage2", Cleared, "warning", 100, 190, At(10, 30), At(10, 15));
        AssertTransition(t[5], "pegel.stage1", Cleared, "info", 100, 140, At(10, 30), At(10, 15));
        Assert.All(t.Take(3), x => Assert.Equal((3, 0), (x.Stage, x.PreviousStage)));
        Assert.All(t.Skip(3), x => Assert.Equal((0, 3), (x.Stage, x.PreviousStage)));
        Assert.Null(t[0].TrendCmPerHour); // the window spans only 15 minutes
        Assert.Equal(0, t[3].TrendCmPerHour!.Value, 9); // 100 - 100 over 30 minutes
    }

    [Fact]
    public void Stage4_is_critical()
    {
        var (_, t) = Run(Lemgo([150, 200, 250, 300]), Level(At(10, 00), 300));

        Assert.Equal(["info", "warning", "critical", "critical"], t.Select(x => x.Severity));
        Assert.Equal(["pegel.stage1", "pegel.stage2", "pegel.stage3", "pegel.stage4"], t.Select(x => x.Rule));
    }

    [Fact]
    public void Rapid_rise_is_not_evaluated_before_the_window_spans_30_minutes()
    {
        // +100 cm in 29 minutes: no evaluation. At 10:30 the earliest reading (10:00) is 30 minutes old: rise 100.
        var (_, t) = Run(Lemgo([1000]), Level(At(10, 00), 100), Level(At(10, 29), 200), Level(At(10, 30), 200));

        var rise = Assert.Single(t);
        AssertTransition(rise, "pegel.rapid-rise", Raised, "warning", 100, 20, At(10, 30), At(10, 30));
    }

    [Fact]
    public void Rapid_rise_uses_the_earliest_reading_within_the_last_60_minutes_of_event_time()
    {
        // At 11:00 the window starts at 10:00 (inclusive): 09:59 has dropped out, so the rise is 119 - 100 = 19 < 20.
        var (state, t) = Run(Lemgo([1000]), Level(At(9, 59), 0), Level(At(10, 00), 100), Level(At(11, 00), 119));

        Assert.Empty(t);
        Assert.Equal(19, state.Pegel!.TrendCmPerHour!.Value, 9);
        Assert.Equal([At(10, 00), At(11, 00)], state.Pegel.Window.Select(s => s.ObservedAt));
    }

    [Fact]
    public void A_window_not_in_event_time_order_loses_every_sample_older_than_60_minutes_wherever_it_stands()
    {
        // Never written by the rules (readings apply in event-time order), but a state from elsewhere keeps its meaning.
        var state = SensorRules.Initial(Streams.Contracts.SubjectKind.Pegel) with
        {
            LastObservedAt = At(11, 00),
            Pegel = new PegelLive(100, 0, [new LevelSample(At(10, 30), 100), new LevelSample(At(9, 00), 90), new LevelSample(At(11, 00), 100)], null),
        };

        var next = SensorRules.Apply(state, Lemgo([1000]), Level(At(11, 15), 101), At(11, 15)).State;

        Assert.Equal([At(10, 30), At(11, 00), At(11, 15)], next.Pegel!.Window.Select(s => s.ObservedAt));
    }

    [Fact]
    public void Rapid_rise_keeps_its_state_while_the_rise_is_inside_the_band_between_half_and_full_threshold()
    {
        var (state, t) = Run(
            Lemgo([1000]),
            Level(At(10, 00), 100),
            Level(At(10, 30), 120), // rise 20 >= 20: raised
            Level(At(11, 00), 110), // rise 10 (from 10:00) >= 10: stays
            Level(At(11, 30), 129), // rise 9 (from 10:30: 129 - 120) < 10: cleared
            Level(At(12, 00), 148)); // rise 38 (from 11:00: 148 - 110) >= 20: raised again

        Assert.Equal(3, t.Count);
        AssertTransition(t[0], "pegel.rapid-rise", Raised, "warning", 20, 20, At(10, 30), At(10, 30));
        AssertTransition(t[1], "pegel.rapid-rise", Cleared, "warning", 9, 10, At(11, 30), At(10, 30));
        AssertTransition(t[2], "pegel.rapid-rise", Raised, "warning", 38, 20, At(12, 00), At(12, 00));
        Assert.Equal(At(12, 00), state.OpenEpisodes["pegel.rapid-rise"]);
    }

    [Fact]
    public void Without_riseCmPerHour_no_rapid_rise_is_raised_but_the_trend_is_reported()
    {
        var (state, t) = Run(Lemgo(riseCmPerHour: null), Level(At(10, 00), 100), Level(At(10, 30), 160));

        var stage1 = Assert.Single(t);
        Assert.Equal("pegel.stage1", stage1.Rule);
        Assert.Equal(120, stage1.TrendCmPerHour!.Value, 9); // 60 cm in half an hour
        Assert.Equal(120, state.Pegel!.TrendCmPerHour!.Value, 9);
    }

    [Fact]
    public void Registry_change_that_removes_an_open_stage_clears_it_on_the_next_reading()
    {
        var state = SensorRules.Initial(Streams.Contracts.SubjectKind.Pegel);
        state = SensorRules.Apply(state, Lemgo(), Level(At(10, 00), 260), At(10, 00)).State;
        Assert.Equal(3, state.Pegel!.Stage);

        var result = SensorRules.Apply(state, Lemgo([150, 200]), Level(At(10, 15), 260), At(10, 15));

        var t = Assert.Single(result.Transitions);
        AssertTransition(t, "pegel.stage3", Cleared, "critical", 260, 240, At(10, 15), At(10, 00));
        Assert.Equal((2, 3), (t.Stage, t.PreviousStage));
        Assert.Equal(2, result.State.Pegel!.Stage);
    }

    [Fact]
    public void Registry_change_of_a_stage_level_takes_effect_with_the_next_reading()
    {
        var state = SensorRules.Initial(Streams.Contracts.SubjectKind.Pegel);
        state = SensorRules.Apply(state, Lemgo(), Level(At(10, 00), 160), At(10, 00)).State;

        // stage1 moves from 150 to 300: 160 < 300 - 10, so stage1 clears with the new clear level.
        var result = SensorRules.Apply(state, Lemgo([300, 400]), Level(At(10, 15), 160), At(10, 15));

        var t = Assert.Single(result.Transitions);
        AssertTransition(t, "pegel.stage1", Cleared, "info", 160, 290, At(10, 15), At(10, 00));
    }

    [Fact]
    public void Message_without_water_name_has_no_parentheses_and_fractions_keep_at_most_two_decimals()
    {
        var entry = Lemgo() with { Water = null };
        var (_, t) = Run(entry, Level(At(10, 00), 150.456));

        Assert.Equal("Pegel Lemgo reached stage 1: 150.46 cm ≥ 150 cm", Assert.Single(t).Message);
    }
}
