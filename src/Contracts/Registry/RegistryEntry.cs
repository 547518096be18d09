using System.Text.Json;

namespace Streams.Contracts.Registry;

/// <summary>A validated registry entry with the contract's defaults applied.</summary>
public abstract record RegistryEntry(string Id)
{
    public abstract SubjectKind Kind { get; }

    /// <summary><c>{kind}/{id}</c>, the key on <c>streams.registry</c>.</summary>
    public string Subject => SubjectKinds.SubjectKey(Kind, Id);
}

/// <summary>A sensor's entry: it belongs to one municipality and has an expected reporting interval.</summary>
public abstract record SensorEntry(string Id, string Municipality, string? Name, int ExpectedIntervalSeconds) : RegistryEntry(Id)
{
    /// <summary>Wall-clock silence after which <c>sensor.stale</c> is raised: 3 × expectedIntervalSeconds.</summary>
    public TimeSpan StaleAfter => TimeSpan.FromSeconds(3.0 * ExpectedIntervalSeconds);
}

public sealed record MunicipalityEntry(string Id, string? Name, JsonElement? Boundary) : RegistryEntry(Id)
{
    public override SubjectKind Kind => SubjectKind.Municipality;
}

public sealed record PegelEntry(
    string Id,
    string Municipality,
    string? Name,
    string? Water,
    double? Lat,
    double? Lon,
    IReadOnlyList<double> StagesCm,
    double HysteresisCm,
    double? RiseCmPerHour,
    int ExpectedIntervalSeconds) : SensorEntry(Id, Municipality, Name, ExpectedIntervalSeconds)
{
    public const double DefaultHysteresisCm = 10;
    public const int DefaultExpectedIntervalSeconds = 900;
    public override SubjectKind Kind => SubjectKind.Pegel;

    public bool Equals(PegelEntry? other) =>
        other is not null && base.Equals(other) && Water == other.Water && Lat == other.Lat && Lon == other.Lon
        && StagesCm.SequenceEqual(other.StagesCm) && HysteresisCm == other.HysteresisCm && RiseCmPerHour == other.RiseCmPerHour;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), StagesCm.Count, HysteresisCm, RiseCmPerHour);
}

public sealed record ParkingEntry(
    string Id,
    string Municipality,
    string? Name,
    int Capacity,
    double AlmostFullPercent,
    double ClearPercent,
    int ExpectedIntervalSeconds) : SensorEntry(Id, Municipality, Name, ExpectedIntervalSeconds)
{
    public const double DefaultAlmostFullPercent = 90;
    public const double DefaultClearPercent = 85;
    public const int DefaultExpectedIntervalSeconds = 300;
    public override SubjectKind Kind => SubjectKind.Parking;

    /// <summary>Descriptive position (WGS 84), for maps.</summary>
    public double? Lat { get; init; }

    public double? Lon { get; init; }
}

public sealed record BusEntry(
    string Id,
    string Municipality,
    string? Name,
    int DelayAlertSeconds,
    int DelayClearSeconds,
    int ExpectedIntervalSeconds) : SensorEntry(Id, Municipality, Name, ExpectedIntervalSeconds)
{
    public const int DefaultDelayAlertSeconds = 300;
    public const int DefaultDelayClearSeconds = 180;
    public const int DefaultExpectedIntervalSeconds = 120;
    public override SubjectKind Kind => SubjectKind.Bus;
}
