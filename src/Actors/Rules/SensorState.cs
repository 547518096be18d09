using System.Collections.Immutable;
using Streams.Contracts;

namespace Streams.Actors.Rules;

/// <summary>
/// The live state of one sensor: what the rules need and what aggregates report. Immutable, and it round-trips
/// through System.Text.Json (it is snapshotted).
/// </summary>
public sealed record SensorState
{
    public required SubjectKind Kind { get; init; }

    /// <summary>observedAt of the last applied reading; null before the first.</summary>
    public DateTimeOffset? LastObservedAt { get; init; }

    /// <summary>Wall-clock time the last reading was applied; staleness is measured from here.</summary>
    public DateTimeOffset? LastAppliedWallClock { get; init; }

    /// <summary>Open episodes: rule → episodeStartedAt.</summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> OpenEpisodes { get; init; } = ImmutableSortedDictionary<string, DateTimeOffset>.Empty;

    public PegelLive? Pegel { get; init; }
    public ParkingLive? Parking { get; init; }
    public BusLive? Bus { get; init; }

    public bool IsStale => OpenEpisodes.ContainsKey(Contracts.Outputs.AlertRules.SensorStale);
}

public sealed record LevelSample(DateTimeOffset ObservedAt, double LevelCm);

/// <summary>Gauge state: latest level, current stage (0 = below stage 1), the 60-minute event-time window, trend.</summary>
public sealed record PegelLive(double LevelCm, int Stage, ImmutableList<LevelSample> Window, double? TrendCmPerHour);

public sealed record ParkingLive(int Capacity, int Occupied, int Free, double OccupancyPercent);

public sealed record BusLive(double Lat, double Lon, int? DelaySeconds, string? RouteId, string? TripId);
