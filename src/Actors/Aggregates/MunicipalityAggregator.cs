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
        var all = subjects.ToList();

        DateTimeOffset? asOf = null;
        var openAlerts = 0;
        foreach (var s in all)
        {
            openAlerts += s.OpenAlerts;
            if (s.LastObservedAt is { } t && (asOf is null || t > asOf.Value))
            {
                asOf = t;
            }
        }

        static bool Live(SensorSummary s) => !s.IsStale && s.LastObservedAt is not null;

        var parking = all.Where(s => s.Kind == SubjectKind.Parking).ToList();
        var liveParking = parking.Where(s => Live(s) && s.Capacity is not null).ToList();
        long capacity = liveParking.Sum(s => (long)s.Capacity!.Value);
        long occupied = liveParking.Sum(s => (long)(s.Occupied ?? 0));
        long free = liveParking.Sum(s => (long)(s.Free ?? 0));
        var parkingAggregate = new ParkingAggregate(
            Facilities: parking.Count,
            Capacity: capacity,
            Occupied: occupied,
            Free: free,
            OccupancyPercent: capacity > 0 ? Round1(occupied * 100.0 / capacity) : 0,
            AlmostFull: liveParking.Count(s => s.AlmostFull),
            Full: liveParking.Count(s => s.Full),
            Stale: parking.Count(s => s.IsStale));

        var buses = all.Where(s => s.Kind == SubjectKind.Bus).ToList();
        var liveBuses = buses.Where(Live).ToList();
        var delays = liveBuses.Where(s => s.DelaySeconds is not null).Select(s => s.DelaySeconds!.Value).ToList();
        var busAggregate = new BusAggregate(
            Vehicles: buses.Count,
            Stale: buses.Count(s => s.IsStale),
            Delayed: liveBuses.Count(s => s.Delayed),
            MeanDelaySeconds: delays.Count > 0 ? Round1(delays.Sum(d => (long)d) / (double)delays.Count) : 0,
            MaxDelaySeconds: delays.Count > 0 ? delays.Max() : 0);

        var stations = all.Where(s => s.Kind == SubjectKind.Pegel).ToList();
        var liveStations = stations.Where(Live).ToList();
        var atStage = new int[5];
        var maxStage = 0;
        foreach (var s in liveStations)
        {
            var stage = Math.Clamp(s.Stage ?? 0, 0, 4);
            atStage[stage]++;
            maxStage = Math.Max(maxStage, stage);
        }

        var pegelAggregate = new PegelAggregate(
            Stations: stations.Count,
            MaxStage: maxStage,
            AtStage: atStage,
            Rising: liveStations.Count(s => s.Rising),
            Stale: stations.Count(s => s.IsStale));

        return new MunicipalityAggregate(
            municipality,
            name,
            asOf ?? DateTimeOffset.UnixEpoch,
            seq,
            parkingAggregate,
            busAggregate,
            pegelAggregate,
            openAlerts);
    }

    private static double Round1(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
