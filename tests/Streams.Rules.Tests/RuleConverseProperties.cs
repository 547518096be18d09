using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Rules.Tests;

/// <summary>
/// The converse of <see cref="RuleProperties"/>: there, a transition implies its condition (and none happens inside a
/// band), which an implementation that never emits anything satisfies. Here, a reading at or beyond a raise level
/// with the alert not open must raise it, and one at or beyond the clear level with it open must clear it. Whether an
/// alert is open is tracked by the test from the transitions already emitted; the conditions are the contract's,
/// computed here from the reading and the registry entry.
/// </summary>
public class RuleConverseProperties
{
    private const int Tests = 300;

    /// <summary>Whether an applied reading is at or beyond the raise level and at or beyond the clear level of a rule.</summary>
    private sealed record Expectation(string Rule, bool RaiseWhenClosed, bool ClearWhenOpen);

    /// <summary>
    /// Runs the scenario and, at every step, checks the expectations against the open rules before the step and the
    /// step's transitions; also checks that stale is raised by a check after 3 × the interval of silence and cleared
    /// by the next reading. Returns the rules whose raise or clear was demanded, one entry per demand (so a test can
    /// require that the scenarios reach both sides of every rule).
    /// </summary>
    private static (List<string> Raised, List<string> Cleared) Check(Scenario s)
    {
        var run = Generators.Run(s);
        var byStep = run.Transitions.GroupBy(x => x.Step, ReferenceEqualityComparer.Instance)
            .ToDictionary(g => g.Key!, g => g.Select(x => x.Transition).ToList(), ReferenceEqualityComparer.Instance);
        var open = new HashSet<string>();
        var applied = new List<PegelReading>();
        DateTimeOffset? lastAppliedWall = null;
        List<string> raises = [], clears = [];
        foreach (var step in s.Steps)
        {
            var transitions = byStep.GetValueOrDefault(step) ?? [];
            bool Has(string rule, string state) => transitions.Any(t => t.Rule == rule && t.State == state);
            if (step is ReadingStep r)
            {
                if (r.Reading is PegelReading p) applied.Add(p);
                if (open.Contains(AlertRules.SensorStale))
                    Assert.True(Has(AlertRules.SensorStale, AlertStates.Cleared), $"the reading at {step.Wall:HH:mm:ss} clears sensor.stale");
                foreach (var e in Expectations(s.Entry, r, applied))
                {
                    if (!open.Contains(e.Rule) && e.RaiseWhenClosed)
                    {
                        raises.Add(e.Rule);
                        Assert.True(Has(e.Rule, AlertStates.Raised), $"{e.Rule} must be raised by {r}");
                    }
                    else if (open.Contains(e.Rule) && e.ClearWhenOpen)
                    {
                        clears.Add(e.Rule);
                        Assert.True(Has(e.Rule, AlertStates.Cleared), $"{e.Rule} must be cleared by {r}");
                    }
                }
                lastAppliedWall = step.Wall;
            }
            else if (lastAppliedWall is { } wall && !open.Contains(AlertRules.SensorStale) && step.Wall - wall >= TimeSpan.FromSeconds(3 * s.Entry.ExpectedIntervalSeconds))
            {
                Assert.True(Has(AlertRules.SensorStale, AlertStates.Raised), $"sensor.stale must be raised by the {step} after the reading at {wall:HH:mm:ss}");
            }

            foreach (var t in transitions)
            {
                if (t.State == AlertStates.Raised) open.Add(t.Rule);
                else open.Remove(t.Rule);
            }
        }

        return (raises, clears);
    }

    /// <summary>The contract's raise and clear conditions of every rule of the entry's kind at an applied reading.</summary>
    private static IEnumerable<Expectation> Expectations(SensorEntry entry, ReadingStep step, IReadOnlyList<PegelReading> applied) => entry switch
    {
        PegelEntry e => PegelExpectations(e, applied),
        ParkingEntry e => ParkingExpectations(e, (ParkingReading)step.Reading),
        BusEntry e => ((BusPosition)step.Reading).DelaySeconds is { } delay
            ? [new Expectation(AlertRules.BusDelayed, delay >= e.DelayAlertSeconds, delay <= e.DelayClearSeconds)]
            : [],
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    private static IEnumerable<Expectation> PegelExpectations(PegelEntry e, IReadOnlyList<PegelReading> applied)
    {
        var r = applied[^1];
        for (var n = 1; n <= Math.Min(4, e.StagesCm.Count); n++)
        {
            var stage = e.StagesCm[n - 1];
            yield return new Expectation(AlertRules.PegelStage(n), r.LevelCm >= stage, r.LevelCm < stage - e.HysteresisCm);
        }

        // The rise by the contract's definition: evaluated only when the window's earliest reading is ≥ 30 min older.
        var earliest = applied.First(x => x.ObservedAt >= r.ObservedAt.AddMinutes(-60));
        if (e.RiseCmPerHour is { } threshold && r.ObservedAt - earliest.ObservedAt >= TimeSpan.FromMinutes(30))
        {
            var rise = r.LevelCm - earliest.LevelCm;
            yield return new Expectation(AlertRules.PegelRapidRise, rise >= threshold, rise < threshold / 2);
        }
    }

    private static IEnumerable<Expectation> ParkingExpectations(ParkingEntry e, ParkingReading r)
    {
        var occupied = r.Occupied ?? e.Capacity - r.Free!.Value;
        var free = e.Capacity - occupied;
        var percent = 100m * occupied / e.Capacity;
        var fullClear = Math.Max(1, (int)Math.Ceiling(e.Capacity * 2 / 100m));
        yield return new Expectation(AlertRules.ParkingAlmostFull, percent >= (decimal)e.AlmostFullPercent, percent < (decimal)e.ClearPercent);
        yield return new Expectation(AlertRules.ParkingFull, free <= 0, free >= fullClear);
    }

    [Property(MaxTest = Tests)]
    public Property A_level_at_a_stage_raises_it_and_a_level_below_its_band_clears_it_and_likewise_the_rise_for_rapid_rise() =>
        Prop.ForAll(Generators.Scenarios("pegel").ToArbitrary(), s => { Check(s); });

    [Property(MaxTest = Tests)]
    public Property Parking_at_the_almost_full_or_full_level_raises_it_and_at_the_clear_level_clears_it() =>
        Prop.ForAll(Generators.Scenarios("parking").ToArbitrary(), s => { Check(s); });

    [Property(MaxTest = Tests)]
    public Property A_delay_at_the_alert_level_raises_bus_delayed_and_one_at_the_clear_level_clears_it() =>
        Prop.ForAll(Generators.Scenarios("bus").ToArbitrary(), s => { Check(s); });

    [Property(MaxTest = Tests)]
    public Property Bus_delayed_transitions_happen_only_at_their_levels_and_never_on_a_position_without_a_delay() =>
        Prop.ForAll(Generators.Scenarios("bus").ToArbitrary(), s =>
        {
            var e = (BusEntry)s.Entry;
            foreach (var (step, t) in Generators.Run(s).Transitions.Where(x => x.Transition.Rule == AlertRules.BusDelayed))
            {
                var delay = ((BusPosition)((ReadingStep)step).Reading).DelaySeconds;
                Assert.NotNull(delay);
                Assert.True(t.State == AlertStates.Raised ? delay >= e.DelayAlertSeconds : delay <= e.DelayClearSeconds,
                    $"{t.State} at a delay of {delay} s (alert {e.DelayAlertSeconds}, clear {e.DelayClearSeconds})");
                Assert.Equal(delay!.Value, t.Value, 9);
            }
        });

    /// <summary>The generators must reach both sides of every rule often, or the properties above say little.</summary>
    [Fact]
    public void The_generated_scenarios_demand_raises_and_clears_of_every_rule()
    {
        foreach (var kind in new[] { "pegel", "parking", "bus" })
        {
            var raised = new Dictionary<string, int>();
            var cleared = new Dictionary<string, int>();
            foreach (var s in Generators.Scenarios(kind).Sample(200, 30))
            {
                var (r, c) = Check(s);
                foreach (var rule in r) raised[rule] = raised.GetValueOrDefault(rule) + 1;
                foreach (var rule in c) cleared[rule] = cleared.GetValueOrDefault(rule) + 1;
            }
            var rules = kind switch
            {
                "pegel" => new[] { AlertRules.PegelStage(1), AlertRules.PegelStage(2), AlertRules.PegelRapidRise },
                "parking" => [AlertRules.ParkingAlmostFull, AlertRules.ParkingFull],
                _ => [AlertRules.BusDelayed],
            };
            Assert.All(rules, rule =>
            {
                Assert.True(raised.GetValueOrDefault(rule) >= 10, $"{rule}: {raised.GetValueOrDefault(rule)} raises demanded");
                Assert.True(cleared.GetValueOrDefault(rule) >= 10, $"{rule}: {cleared.GetValueOrDefault(rule)} clears demanded");
            });
        }
    }
}
