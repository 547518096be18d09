using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Aggregates;

/// <summary>Pure: the contract's municipality aggregate from the latest summary of every known subject.</summary>
public static class MunicipalityAggregator
{
    public static SensorSummary Summarize(SensorEntry entry, SensorState state, bool owesAlerts = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(state);
        var open = state.OpenEpisodes;
        return new SensorSummary(
            entry.Kind,
            entry.Id,
            entry.Municipality,
            state.LastObservedAt,
            state.IsStale,
            open.Count,
            Stage: state.Pegel?.Stage,
            Rising: open.ContainsKey(AlertRules.PegelRapidRise),
            Capacity: state.Parking?.Capacity,
            Occupied: state.Parking?.Occupied,
            Free: state.Parking?.Free,
            AlmostFull: open.ContainsKey(AlertRules.ParkingAlmostFull),
            Full: open.ContainsKey(AlertRules.ParkingFull),
            DelaySeconds: state.Bus?.DelaySeconds,
            Delayed: open.ContainsKey(AlertRules.BusDelayed))
        {
            StaleDueAt = state.LastAppliedWallClock + entry.StaleAfter,
            OwesAlerts = owesAlerts,
        };
    }

    /// <summary>
    /// The aggregate over <paramref name="subjects"/> (the caller passes the subjects of this municipality).
    /// A stale subject counts under <c>stale</c> (and in facilities/vehicles/stations) and nowhere else; a subject
    /// without a reading counts in facilities/vehicles/stations only. A municipality keeps an
    /// <see cref="AggregateTally"/> up to date instead of calling this for every record.
    /// </summary>
    public static MunicipalityAggregate Compute(string municipality, string? name, long seq, IEnumerable<SensorSummary> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var tally = new AggregateTally();
        foreach (var s in subjects) tally.Add(s);
        return tally.ToAggregate(municipality, name, seq, () => []);
    }
}
