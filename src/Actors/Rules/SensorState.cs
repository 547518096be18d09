using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Streams.Contracts;

namespace Streams.Actors.Rules;

/// <summary>
/// The live state of one sensor: what the rules need and what aggregates report. Immutable, and it round-trips
/// through System.Text.Json (it is snapshotted). Equality is by value (collections compared element by element),
/// so a state equals its own deserialized snapshot.
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

    [JsonIgnore]
    public bool IsStale => OpenEpisodes.ContainsKey(Contracts.Outputs.AlertRules.SensorStale);

    public bool Equals(SensorState? other) =>
        other is not null
        && Kind == other.Kind
        && Nullable.Equals(LastObservedAt, other.LastObservedAt)
        && Nullable.Equals(LastAppliedWallClock, other.LastAppliedWallClock)
        && OpenEpisodes.Count == other.OpenEpisodes.Count
        && OpenEpisodes.SequenceEqual(other.OpenEpisodes)
        && Equals(Pegel, other.Pegel)
        && Equals(Parking, other.Parking)
        && Equals(Bus, other.Bus);

    public override int GetHashCode() => HashCode.Combine(Kind, LastObservedAt, LastAppliedWallClock, OpenEpisodes.Count, Pegel, Parking, Bus);
}

public sealed record LevelSample(DateTimeOffset ObservedAt, double LevelCm);

/// <summary>Gauge state: latest level, current stage (0 = below stage 1), the 60-minute event-time window, trend.</summary>
public sealed record PegelLive(double LevelCm, int Stage, ImmutableList<LevelSample> Window, double? TrendCmPerHour)
{
    /// <summary>
    /// The registry's stage levels in effect when the last reading was applied. Used only to state the clear level of
    /// a stage episode whose stage a later registry change removed (it is cleared on the next reading).
    /// </summary>
    public ImmutableList<double>? StagesCm { get; init; }

    /// <summary>The registry's hysteresis in effect when the last reading was applied (see <see cref="StagesCm"/>).</summary>
    public double? HysteresisCm { get; init; }

    /// <summary>
    /// The registry's riseCmPerHour in effect when the last reading was applied. Used only to state the clear level of
    /// an open <c>pegel.rapid-rise</c> episode when a later registry change removes the rise threshold.
    /// </summary>
    public double? RiseCmPerHour { get; init; }

    public bool Equals(PegelLive? other) =>
        other is not null
        && LevelCm.Equals(other.LevelCm)
        && Stage == other.Stage
        && Window.SequenceEqual(other.Window)
        && Nullable.Equals(TrendCmPerHour, other.TrendCmPerHour)
        && (StagesCm is null ? other.StagesCm is null : other.StagesCm is not null && StagesCm.SequenceEqual(other.StagesCm))
        && Nullable.Equals(HysteresisCm, other.HysteresisCm)
        && Nullable.Equals(RiseCmPerHour, other.RiseCmPerHour);

    public override int GetHashCode() => HashCode.Combine(LevelCm, Stage, Window.Count, TrendCmPerHour, RiseCmPerHour);
}

public sealed record ParkingLive(int Capacity, int Occupied, int Free, double OccupancyPercent);

/// <summary>
/// Vehicle state from the latest position. <see cref="DelaySeconds"/> is the last known delay: a position without
/// delaySeconds keeps the previous value (as it keeps <c>bus.delayed</c> as it is).
/// </summary>
public sealed record BusLive(double Lat, double Lon, int? DelaySeconds, string? RouteId, string? TripId);
