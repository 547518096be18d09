using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Rules.Tests;

public class RuleProperties
{
    private const int Tests = 300;

    private static IEnumerable<(Reading Reading, List<AlertTransition> Transitions)> PerAppliedReading(RunResult run) =>
        run.Transitions
            .Where(x => x.Step is ReadingStep)
            .GroupBy(x => ((ReadingStep)x.Step).Reading)
            .Select(g => (g.Key, g.Select(x => x.Transition).ToList()));

    private static List<PegelReading> AppliedLevels(Scenario s)
    {
        var applied = new List<PegelReading>();
        foreach (var step in s.Steps)
        {
            if (step is ReadingStep { Reading: PegelReading p } && (applied.Count == 0 || p.ObservedAt > applied[^1].ObservedAt))
            {
                applied.Add(p);
            }
        }

        return applied;
    }

    [Property(MaxTest = Tests)]
    public Property No_stage_or_rapid_rise_transition_inside_a_hysteresis_band() =>
        Prop.ForAll(Generators.Scenarios("pegel").ToArbitrary(), s =>
        {
            var e = (PegelEntry)s.Entry;
            var run = Generators.Run(s);
            var byReading = PerAppliedReading(run).ToDictionary(x => x.Reading, x => x.Transitions);
            var applied = AppliedLevels(s);
            foreach (var r in applied)
            {
                var transitions = byReading.GetValueOrDefault(r) ?? [];
                for (var n = 1; n <= e.StagesCm.Count; n++)
                {
                    var stage = e.StagesCm[n - 1];
                    var rule = AlertRules.PegelStage(n);
                    if (r.LevelCm >= stage - e.HysteresisCm && r.LevelCm < stage)
                    {
                        Assert.DoesNotContain(transitions, t => t.Rule == rule);
                    }

                    Assert.All(transitions.Where(t => t.Rule == rule), t =>
                        Assert.True(t.State == AlertStates.Raised ? r.LevelCm >= stage : r.LevelCm < stage - e.HysteresisCm));
                }

                // The rise by the contract's definition, computed here from the applied readings.
                var earliest = applied.First(x => x.ObservedAt >= r.ObservedAt.AddMinutes(-60));
                var riseTransitions = transitions.Where(t => t.Rule == AlertRules.PegelRapidRise).ToList();
                if (e.RiseCmPerHour is not { } threshold || r.ObservedAt - earliest.ObservedAt < TimeSpan.FromMinutes(30))
                {
                    Assert.Empty(riseTransitions);
                    continue;
                }

                var rise = r.LevelCm - earliest.LevelCm;
                if (rise >= threshold / 2 && rise < threshold)
                {
                    Assert.Empty(riseTransitions);
                }

                Assert.All(riseTransitions, t =>
                {
                    Assert.Equal(rise, t.Value, 9);
                    Assert.True(t.State == AlertStates.Raised ? rise >= threshold : rise < threshold / 2);
                });
            }
        });

    [Property(MaxTest = Tests)]
    public Property No_parking_transition_inside_a_hysteresis_band() =>
        Prop.ForAll(Generators.Scenarios("parking").ToArbitrary(), s =>
        {
            var e = (ParkingEntry)s.Entry;
            var fullClear = Math.Max(1, (int)Math.Ceiling(e.Capacity * 2 / 100m));
            foreach (var (reading, transitions) in PerAppliedReading(Generators.Run(s)))
            {
                var r = (ParkingReading)reading;
                var occupied = r.Occupied ?? e.Capacity - r.Free!.Value;
                var free = e.Capacity - occupied;
                var percent = 100m * occupied / e.Capacity;
                if (percent >= (decimal)e.ClearPercent && percent < (decimal)e.AlmostFullPercent)
                {
                    Assert.DoesNotContain(transitions, t => t.Rule == AlertRules.ParkingAlmostFull);
                }

                if (free > 0 && free < fullClear)
                {
                    Assert.DoesNotContain(transitions, t => t.Rule == AlertRules.ParkingFull);
                }

                Assert.All(transitions.Where(t => t.Rule == AlertRules.ParkingFull), t =>
                    Assert.True(t.State == AlertStates.Raised ? free <= 0 : free >= fullClear));
            }
        });

    [Property(MaxTest = Tests)]
    public Property No_bus_transition_inside_the_delay_band_or_without_a_delay() =>
        Prop.ForAll(Generators.Scenarios("bus").ToArbitrary(), s =>
        {
            var e = (BusEntry)s.Entry;
            foreach (var (reading, transitions) in PerAppliedReading(Generators.Run(s)))
            {
                var delay = ((BusPosition)reading).DelaySeconds;
                if (delay is null || (delay > e.DelayClearSeconds && delay < e.DelayAlertSeconds))
                {
                    Assert.DoesNotContain(transitions, t => t.Rule == AlertRules.BusDelayed);
                }
            }
        });

    [Property(MaxTest = Tests)]
    public Property Raised_and_cleared_alternate_per_rule_starting_with_raised_and_share_the_episode_start() =>
        Prop.ForAll(Generators.Scenarios().ToArbitrary(), s =>
        {
            var run = Generators.Run(s);
            foreach (var rule in run.Transitions.GroupBy(x => x.Transition.Rule))
            {
                var list = rule.Select(x => x.Transition).ToList();
                for (var i = 0; i < list.Count; i++)
                {
                    var t = list[i];
                    if (i % 2 == 0)
                    {
                        Assert.Equal(AlertStates.Raised, t.State);
                        Assert.Equal(t.Time, t.EpisodeStartedAt);
                    }
                    else
                    {
                        Assert.Equal(AlertStates.Cleared, t.State);
                        Assert.Equal(list[i - 1].EpisodeStartedAt, t.EpisodeStartedAt);
                    }
                }

                // The state's open episodes agree with the transitions.
                var last = list[^1];
                Assert.Equal(last.State == AlertStates.Raised, run.State.OpenEpisodes.ContainsKey(rule.Key));
                if (last.State == AlertStates.Raised)
                {
                    Assert.Equal(last.EpisodeStartedAt, run.State.OpenEpisodes[rule.Key]);
                }
            }

            Assert.All(run.State.OpenEpisodes.Keys, k => Assert.Contains(run.Transitions, x => x.Transition.Rule == k));
        });

    [Property(MaxTest = Tests)]
    public Property Inserting_duplicate_or_older_readings_anywhere_changes_no_output() =>
        Prop.ForAll(Generators.NoisyScenarios.ToArbitrary(), s =>
        {
            var clean = Generators.Run(s.Clean);
            var noisy = Generators.Run(s.Noisy);

            Assert.Equal(JsonSerializer.Serialize(clean.Events), JsonSerializer.Serialize(noisy.Events));
            Assert.Equal(clean.State, noisy.State);
        });

    [Property(MaxTest = Tests)]
    public Property The_same_input_always_yields_identical_transitions_and_cloud_events() =>
        Prop.ForAll(Generators.Scenarios().ToArbitrary(), s =>
        {
            var first = Generators.Run(s);
            var second = Generators.Run(s);
            var restoredFromSnapshots = Generators.Run(s, snapshotEveryStep: true);

            Assert.Equal(first.Transitions.Select(x => x.Transition), second.Transitions.Select(x => x.Transition));
            var json = JsonSerializer.Serialize(first.Events);
            Assert.Equal(json, JsonSerializer.Serialize(second.Events));
            Assert.Equal(json, JsonSerializer.Serialize(restoredFromSnapshots.Events));
            Assert.Equal(first.State, restoredFromSnapshots.State);

            // Every event id is unique: (subject, rule, state, episodeStartedAt) never repeats within a run.
            Assert.Equal(first.Events.Count, first.Events.Select(e => e.Id).Distinct().Count());
        });
}
