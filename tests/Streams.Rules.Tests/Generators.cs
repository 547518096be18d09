using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Rules.Tests;

/// <summary>One input to a sensor: a reading (applied at wall clock <see cref="Step.Wall"/>) or a staleness check.</summary>
public abstract record Step(DateTimeOffset Wall);

public sealed record ReadingStep(Reading Reading, DateTimeOffset Wall) : Step(Wall)
{
    public override string ToString() => Reading switch
    {
        PegelReading p => $"{p.ObservedAt:HH:mm:ss} level {p.LevelCm}",
        ParkingReading p => $"{p.ObservedAt:HH:mm:ss} free {p.Free} occupied {p.Occupied}",
        BusPosition b => $"{b.ObservedAt:HH:mm:ss} delay {b.DelaySeconds}",
        _ => Reading.ToString(),
    };
}

public sealed record CheckStep(DateTimeOffset Wall) : Step(Wall)
{
    public override string ToString() => $"check at {Wall:HH:mm:ss}";
}

/// <summary>A registry entry and the inputs of one sensor.</summary>
public sealed record Scenario(SensorEntry Entry, ImmutableArray<Step> Steps)
{
    public override string ToString() => $"{Entry}{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", Steps)}";
}

/// <summary>A scenario and the same scenario with duplicate and late (older) readings inserted anywhere.</summary>
public sealed record NoisyScenario(Scenario Clean, Scenario Noisy)
{
    public override string ToString() => $"clean:{Environment.NewLine}{Clean}{Environment.NewLine}noisy:{Environment.NewLine}{Noisy}";
}

/// <summary>What running a scenario produced.</summary>
public sealed record RunResult(SensorState State, IReadOnlyList<(Step Step, AlertTransition Transition)> Transitions, IReadOnlyList<AlertEvent> Events);

public static class Generators
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 6, 0, 0, TimeSpan.FromHours(1));

    private sealed record Item(int GapSeconds, bool IsCheck, Func<DateTimeOffset, Reading> Make);

    private sealed record Noise(int Position, int Pick, int DeltaSeconds, Func<DateTimeOffset, Reading> Make);

    public static Gen<PegelEntry> PegelEntries =>
        from count in Gen.Choose(1, 4)
        from first in Gen.Choose(100, 200)
        from increments in Gen.ArrayOf(Gen.Choose(20, 80), 3)
        from hysteresis in Gen.Choose(1, 20)
        from hasRise in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from rise in Gen.Choose(5, 40)
        from interval in Gen.Choose(120, 900)
        select new PegelEntry(
            "g1", "05766044", "Gauge", "River", null, null,
            Enumerable.Range(0, count).Select(i => (double)(first + increments.Take(i).Sum())).ToArray(),
            hysteresis, hasRise ? rise : null, interval);

    public static Gen<ParkingEntry> ParkingEntries =>
        from capacity in Gen.Choose(10, 400)
        from almostFull in Gen.Choose(80, 95)
        from band in Gen.Choose(1, 10)
        from interval in Gen.Choose(60, 300)
        select new ParkingEntry("p1", "05766044", "Car park", capacity, almostFull, almostFull - band, interval);

    public static Gen<BusEntry> BusEntries =>
        from alert in Gen.Choose(120, 400)
        from band in Gen.Choose(1, 200)
        from interval in Gen.Choose(30, 120)
        select new BusEntry("b1", "05766044", null, alert, Math.Max(0, alert - band), interval);

    private static Gen<Func<DateTimeOffset, Reading>> Readings(SensorEntry entry) => entry switch
    {
        PegelEntry e => PegelLevels(e).Select(level => (Func<DateTimeOffset, Reading>)(t => new PegelReading(e.Id, t, level))),
        ParkingEntry e =>
            from occupied in Gen.Frequency((1, Gen.Choose(0, e.Capacity)), (3, Gen.Choose(e.Capacity * 75 / 100, e.Capacity)))
            from asFree in Gen.Elements(true, false)
            select (Func<DateTimeOffset, Reading>)(t => asFree
                ? new ParkingReading(e.Id, t, e.Capacity - occupied, null, null)
                : new ParkingReading(e.Id, t, null, occupied, null)),
        BusEntry e =>
            from hasDelay in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from delay in Gen.Frequency((1, Gen.Choose(-60, 600)), (2, Gen.Choose(e.DelayClearSeconds - 5, e.DelayAlertSeconds + 5)))
            select (Func<DateTimeOffset, Reading>)(t => new BusPosition(e.Id, t, 52.03, 8.9, DelaySeconds: hasDelay ? delay : null)),
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    /// <summary>Levels in half centimetres, mostly close to a stage level (inside or around its hysteresis band).</summary>
    private static Gen<double> PegelLevels(PegelEntry e)
    {
        var stages = e.StagesCm;
        var band = (int)e.HysteresisCm + 3;
        var near =
            from i in Gen.Choose(0, stages.Count - 1)
            from halfCm in Gen.Choose(-2 * band, 6)
            select stages[i] + halfCm / 2.0;
        var anywhere = Gen.Choose(2 * ((int)stages[0] - 60), 2 * ((int)stages[^1] + 60)).Select(x => x / 2.0);
        return Gen.Frequency((2, near), (1, anywhere));
    }

    private static Gen<Item> Items(SensorEntry entry) =>
        from gap in Gen.Frequency((4, Gen.Choose(1, entry.ExpectedIntervalSeconds * 2)), (1, Gen.Choose(1, entry.ExpectedIntervalSeconds * 5)))
        from isCheck in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from make in Readings(entry)
        select new Item(gap, isCheck, make);

    public static Gen<SensorEntry> Entries(string kinds = "pegel,parking,bus")
    {
        var gens = new List<Gen<SensorEntry>>();
        if (kinds.Contains("pegel", StringComparison.Ordinal))
        {
            gens.Add(PegelEntries.Select(e => (SensorEntry)e));
        }

        if (kinds.Contains("parking", StringComparison.Ordinal))
        {
            gens.Add(ParkingEntries.Select(e => (SensorEntry)e));
        }

        if (kinds.Contains("bus", StringComparison.Ordinal))
        {
            gens.Add(BusEntries.Select(e => (SensorEntry)e));
        }

        return Gen.OneOf(gens);
    }

    private static ImmutableArray<Step> Build(IEnumerable<Item> items)
    {
        var t = Start;
        var steps = ImmutableArray.CreateBuilder<Step>();
        foreach (var item in items)
        {
            t = t.AddSeconds(item.GapSeconds);
            steps.Add(item.IsCheck ? new CheckStep(t) : new ReadingStep(item.Make(t), t));
        }

        return steps.ToImmutable();
    }

    public static Gen<Scenario> Scenarios(string kinds = "pegel,parking,bus") =>
        from entry in Entries(kinds)
        from items in Gen.ListOf(Items(entry))
        select new Scenario(entry, Build(items));

    public static Gen<NoisyScenario> NoisyScenarios =>
        from entry in Entries()
        from items in Gen.ListOf(Items(entry))
        from noise in Gen.ListOf(
            from position in Gen.Choose(0, 1000)
            from pick in Gen.Choose(0, 1000)
            from delta in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 7200)))
            from make in Readings(entry)
            select new Noise(position, pick, delta, make))
        select MakeNoisy(new Scenario(entry, Build(items)), noise);

    /// <summary>Inserts each noise reading after a random step, with an observedAt not later than a reading already applied.</summary>
    private static NoisyScenario MakeNoisy(Scenario clean, IEnumerable<Noise> noise)
    {
        var inserts = new Dictionary<int, List<Noise>>();
        foreach (var n in noise)
        {
            var position = clean.Steps.Length == 0 ? 0 : n.Position % clean.Steps.Length;
            if (!inserts.TryGetValue(position, out var list))
            {
                inserts[position] = list = [];
            }

            list.Add(n);
        }

        var steps = ImmutableArray.CreateBuilder<Step>();
        var applied = new List<DateTimeOffset>();
        for (var i = 0; i < clean.Steps.Length; i++)
        {
            var step = clean.Steps[i];
            steps.Add(step);
            if (step is ReadingStep r)
            {
                applied.Add(r.Reading.ObservedAt);
            }

            if (applied.Count > 0 && inserts.TryGetValue(i, out var here))
            {
                foreach (var n in here)
                {
                    var observedAt = applied[n.Pick % applied.Count].AddSeconds(-n.DeltaSeconds);
                    steps.Add(new ReadingStep(n.Make(observedAt), step.Wall));
                }
            }
        }

        return new NoisyScenario(clean, clean with { Steps = steps.ToImmutable() });
    }

    /// <summary>Runs the rules over a scenario from the initial state; optionally snapshots (JSON round trip) after every step.</summary>
    public static RunResult Run(Scenario scenario, bool snapshotEveryStep = false)
    {
        var state = SensorRules.Initial(scenario.Entry.Kind);
        var transitions = new List<(Step, AlertTransition)>();
        var events = new List<AlertEvent>();
        foreach (var step in scenario.Steps)
        {
            var result = step switch
            {
                ReadingStep r => SensorRules.Apply(state, scenario.Entry, r.Reading, r.Wall),
                CheckStep c => SensorRules.CheckStale(state, scenario.Entry, c.Wall),
                _ => throw new InvalidOperationException(),
            };
            state = result.State;
            if (snapshotEveryStep)
            {
                state = System.Text.Json.JsonSerializer.Deserialize<SensorState>(System.Text.Json.JsonSerializer.Serialize(state))!;
            }

            foreach (var t in result.Transitions)
            {
                transitions.Add((step, t));
                events.Add(AlertEvents.ToCloudEvent(scenario.Entry, t));
            }
        }

        return new RunResult(state, transitions, events);
    }
}
