using Streams.Contracts;

namespace Streams.Actors.Entities;

/// <summary>The shard regions' type names (the same on every node; ops verbs and metrics use them).</summary>
public static class RegionNames
{
    public const string Pegel = "sensor-pegel";
    public const string Parking = "sensor-parking";
    public const string Bus = "sensor-bus";
    public const string Municipality = "municipality";

    public static readonly SubjectKind[] SensorKinds = [SubjectKind.Pegel, SubjectKind.Parking, SubjectKind.Bus];

    public static string Of(SubjectKind kind) => kind switch
    {
        SubjectKind.Pegel => Pegel,
        SubjectKind.Parking => Parking,
        SubjectKind.Bus => Bus,
        SubjectKind.Municipality => Municipality,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
