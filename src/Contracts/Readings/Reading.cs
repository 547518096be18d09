namespace Streams.Contracts.Readings;

/// <summary>A validated sensor reading. Readings of one subject are applied in <see cref="ObservedAt"/> order.</summary>
public abstract record Reading(DateTimeOffset ObservedAt)
{
    public abstract SubjectKind Kind { get; }
    public abstract string SubjectId { get; }
    public string Subject => SubjectKinds.SubjectKey(Kind, SubjectId);
}

/// <summary>Water level in cm above gauge zero (<c>streams.pegel</c>).</summary>
public sealed record PegelReading(string StationId, DateTimeOffset ObservedAt, double LevelCm) : Reading(ObservedAt)
{
    public override SubjectKind Kind => SubjectKind.Pegel;
    public override string SubjectId => StationId;
}

/// <summary>Car park occupancy (<c>streams.parking</c>); at least one of free/occupied is present.</summary>
public sealed record ParkingReading(string FacilityId, DateTimeOffset ObservedAt, int? Free, int? Occupied, int? Capacity) : Reading(ObservedAt)
{
    public override SubjectKind Kind => SubjectKind.Parking;
    public override string SubjectId => FacilityId;
}

/// <summary>Vehicle position shaped after GTFS-Realtime VehiclePosition (<c>streams.bus</c>).</summary>
public sealed record BusPosition(
    string VehicleId,
    DateTimeOffset ObservedAt,
    double Lat,
    double Lon,
    string? RouteId = null,
    string? TripId = null,
    int? DelaySeconds = null,
    double? Bearing = null,
    double? SpeedMps = null,
    string? Municipality = null) : Reading(ObservedAt)
{
    public override SubjectKind Kind => SubjectKind.Bus;
    public override string SubjectId => VehicleId;
}
