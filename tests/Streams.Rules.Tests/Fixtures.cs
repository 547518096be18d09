using Streams.Actors.Rules;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Rules.Tests;

/// <summary>Registry entries and helpers shared by the example tests (values from the contract's examples).</summary>
internal static class Fixtures
{
    public static readonly TimeSpan Cet = TimeSpan.FromHours(1);

    /// <summary>The contract's gauge: Lemgo (Bega), stages 150/200/250, hysteresis 10, rise 20 cm/h, every 900 s.</summary>
    public static PegelEntry Lemgo(IReadOnlyList<double>? stages = null, double? riseCmPerHour = 20) =>
        new("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.90, stages ?? [150, 200, 250], 10, riseCmPerHour, 900);

    /// <summary>The contract's car park: capacity 220, almost full at 90 %, clear at 85 %, every 300 s.</summary>
    public static ParkingEntry P1() => new("lemgo-p1", "05766044", "P1 Regenstorplatz", 220, 90, 85, 300);

    /// <summary>The contract's bus: alert at 300 s delay, clear at 180 s, every 120 s.</summary>
    public static BusEntry Bus17() => new("lip-bus-17", "05766044", null, 300, 180, 120);

    /// <summary>2026-11-25 at hh:mm:ss, CET (+01:00).</summary>
    public static DateTimeOffset At(int hour, int minute, int second = 0) => new(2026, 11, 25, hour, minute, second, Cet);

    public static PegelReading Level(DateTimeOffset at, double cm) => new("4910010", at, cm);

    public static ParkingReading Free(DateTimeOffset at, int free) => new("lemgo-p1", at, free, null, null);

    public static BusPosition Delay(DateTimeOffset at, int? delaySeconds) =>
        new("lip-bus-17", at, 52.0279, 8.8997, "L1", "L1-0712", delaySeconds);

    /// <summary>Applies readings in the given order (wall clock = observedAt + 2 s); returns the final state and every transition.</summary>
    public static (SensorState State, List<AlertTransition> Transitions) Run(SensorEntry entry, params Reading[] readings)
    {
        var state = SensorRules.Initial(entry.Kind);
        var all = new List<AlertTransition>();
        foreach (var r in readings)
        {
            var result = SensorRules.Apply(state, entry, r, r.ObservedAt.AddSeconds(2));
            state = result.State;
            all.AddRange(result.Transitions);
        }

        return (state, all);
    }

    public static void AssertTransition(
        AlertTransition t, string rule, string state, string severity, double value, double threshold,
        DateTimeOffset time, DateTimeOffset episodeStartedAt)
    {
        Assert.Equal(rule, t.Rule);
        Assert.Equal(state, t.State);
        Assert.Equal(severity, t.Severity);
        Assert.Equal(value, t.Value, 9);
        Assert.Equal(threshold, t.Threshold, 9);
        Assert.Equal(time, t.Time);
        Assert.Equal(time.Offset, t.Time.Offset);
        Assert.Equal(episodeStartedAt, t.EpisodeStartedAt);
    }
}
