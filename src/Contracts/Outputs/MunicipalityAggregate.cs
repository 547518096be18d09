namespace Streams.Contracts.Outputs;

/// <summary>The live aggregate of one municipality (<c>streams.aggregates</c>, compacted).</summary>
public sealed record MunicipalityAggregate(
    string Municipality,
    string? Name,
    DateTimeOffset AsOf,
    long Seq,
    ParkingAggregate Parking,
    BusAggregate Bus,
    PegelAggregate Pegel,
    int OpenAlerts);

public sealed record ParkingAggregate(int Facilities, long Capacity, long Occupied, long Free, double OccupancyPercent, int AlmostFull, int Full, int Stale);

public sealed record BusAggregate(int Vehicles, int Stale, int Delayed, double MeanDelaySeconds, int MaxDelaySeconds);

public sealed record PegelAggregate(int Stations, int MaxStage, IReadOnlyList<int> AtStage, int Rising, int Stale);
