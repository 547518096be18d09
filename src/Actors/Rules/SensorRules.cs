using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Rules;

public sealed record RuleResult(SensorState State, IReadOnlyList<AlertTransition> Transitions, bool Applied);

/// <summary>The alert rules of the contract as pure functions of (state, registry entry, reading).</summary>
public static class SensorRules
{
    public static SensorState Initial(SubjectKind kind) => new() { Kind = kind };

    /// <summary>
    /// Applies a reading. A reading not newer than the last applied one is a duplicate or late arrival:
    /// state unchanged, no transitions, Applied = false.
    /// </summary>
    public static RuleResult Apply(SensorState state, SensorEntry entry, Reading reading, DateTimeOffset wallClockNow) => throw new NotImplementedException();

    /// <summary>Raises <c>sensor.stale</c> when the sensor has been silent for 3 × expectedIntervalSeconds of wall-clock time.</summary>
    public static RuleResult CheckStale(SensorState state, SensorEntry entry, DateTimeOffset wallClockNow) => throw new NotImplementedException();
}
