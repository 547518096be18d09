using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Aggregates;

/// <summary>Pure: the contract's municipality aggregate from the latest summary of every known subject.</summary>
public static class MunicipalityAggregator
{
    public static SensorSummary Summarize(SensorEntry entry, SensorState state)
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
        };
    }

    /// <summary>
    /// The aggregate over <paramref name="subjects"/> (the caller passes the subjects of this municipality).
    /// A stale subject counts under <c>stale</c> (and in facilities/vehicles/stations) and nowhere else; a subject
    /// without a reading counts in facilities/vehicles/stations only.
    /// </summary>
    public static MunicipalityAggregate Compute(string municipality, string? name, long seq, IEnumerable<SensorSummary> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        // One pass, no intermediate lists: a municipality recomputes this from all its subjects at every flush.
        var t = new Tally();
        foreach (var s in subjects) t.Add(s);

        var parkingAggregate = new ParkingAggregate(
            Facilities: t.Facilities,
            Capacity: t.Capacity,
            Occupied: t.Occupied,
            Free: t.Free,
            OccupancyPercent: t.Capacity > 0 ? Round1(t.Occupied * 100.0 / t.Capacity) : 0,
            AlmostFull: t.AlmostFull,
            Full: t.Full,
            Stale: t.StaleFacilities);
        var busAggregate = new BusAggregate(
            Vehicles: t.Vehicles,
            Stale: t.StaleVehicles,
            Delayed: t.Delayed,
            MeanDelaySeconds: t.Delays > 0 ? Round1(t.DelaySum / (double)t.Delays) : 0,
            MaxDelaySeconds: t.Delays > 0 ? t.MaxDelay : 0);
        var pegelAggregate = new PegelAggregate(
            Stations: t.Stations,
            MaxStage: t.MaxStage,
            AtStage: t.AtStage,
            Rising: t.Rising,
            Stale: t.StaleStations);

        return new MunicipalityAggregate(
            municipality,
            name,
            t.AsOf ?? DateTimeOffset.UnixEpoch,
            seq,
            parkingAggregate,
            busAggregate,
            pegelAggregate,
            t.OpenAlerts);
    }

    /// <summary>The running sums of <see cref="Compute"/>.</summary>
    private sealed class Tally
    {
        public DateTimeOffset? AsOf;
        public int OpenAlerts;
        public int Facilities, StaleFacilities, AlmostFull, Full;
        public long Capacity, Occupied, Free;
        public int Vehicles, StaleVehicles, Delayed, Delays, MaxDelay;
        public long DelaySum;
        public int Stations, StaleStations, Rising, MaxStage;
        public readonly int[] AtStage = new int[5];

        public void Add(SensorSummary s)
        {
            OpenAlerts += s.OpenAlerts;
            if (s.LastObservedAt is { } t && (AsOf is null || t > AsOf.Value)) AsOf = t;
            var live = !s.IsStale && s.LastObservedAt is not null;
            switch (s.Kind)
            {
                case SubjectKind.Parking:
                    Facilities++;
                    if (s.IsStale) StaleFacilities++;
                    if (!live || s.Capacity is not { } capacity) break;
                    Capacity += capacity;
                    Occupied += s.Occupied ?? 0;
                    Free += s.Free ?? 0;
                    if (s.AlmostFull) AlmostFull++;
                    if (s.Full) Full++;
                    break;
                case SubjectKind.Bus:
                    Vehicles++;
                    if (s.IsStale) StaleVehicles++;
                    if (!live) break;
                    if (s.Delayed) Delayed++;
                    if (s.DelaySeconds is not { } delay) break;
                    MaxDelay = Delays == 0 ? delay : Math.Max(MaxDelay, delay);
                    Delays++;
                    DelaySum += delay;
                    break;
                case SubjectKind.Pegel:
                    Stations++;
                    if (s.IsStale) StaleStations++;
                    if (!live) break;
                    var stage = Math.Clamp(s.Stage ?? 0, 0, 4);
                    AtStage[stage]++;
                    MaxStage = Math.Max(MaxStage, stage);
                    if (s.Rising) Rising++;
                    break;
            }
        }
    }

    private static double Round1(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
