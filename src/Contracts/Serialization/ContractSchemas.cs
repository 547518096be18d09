using System.Reflection;

namespace Streams.Contracts.Serialization;

/// <summary>
/// The published JSON Schemas (draft 2020-12) of the wire contract, embedded in this assembly from <c>schemas/</c>
/// at the repository root. Each schema's <c>$id</c> is <see cref="IdBase"/> followed by its file name.
/// </summary>
public static class ContractSchemas
{
    public const string ResourcePrefix = "Streams.Contracts.Schemas.";
    public const string IdBase = "https://streams.example/schemas/v1/";

    public const string RegistryEntry = "registry-entry.schema.json";
    public const string PegelReading = "pegel-reading.schema.json";
    public const string ParkingReading = "parking-reading.schema.json";
    public const string BusPosition = "bus-position.schema.json";
    public const string AlertEvent = "alert-event.schema.json";
    public const string MunicipalityAggregate = "municipality-aggregate.schema.json";
    public const string DeadLetter = "dead-letter.schema.json";

    private static readonly Assembly Assembly = typeof(ContractSchemas).Assembly;

    /// <summary>File names of all embedded schemas, e.g. <c>pegel-reading.schema.json</c>, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The <c>$id</c> of a schema: <c>https://streams.example/schemas/v1/{file name}</c>.</summary>
    public static string IdOf(string name) => IdBase + Normalize(name);

    /// <summary>The schema for a topic's records. <paramref name="kind"/> selects the readings schema.</summary>
    public static string ForReading(SubjectKind kind) => kind switch
    {
        SubjectKind.Pegel => PegelReading,
        SubjectKind.Parking => ParkingReading,
        SubjectKind.Bus => BusPosition,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "readings are pegel, parking or bus"),
    };

    /// <summary>Opens a schema by file name, with or without <c>.schema.json</c> (<c>pegel-reading</c> works too).</summary>
    /// <exception cref="KeyNotFoundException">No such schema.</exception>
    public static Stream Open(string name) =>
        Assembly.GetManifestResourceStream(ResourcePrefix + Normalize(name))
        ?? throw new KeyNotFoundException($"No embedded schema \"{name}\"; known: {string.Join(", ", Names)}.");

    /// <summary>Reads a schema's text by file name, with or without <c>.schema.json</c>.</summary>
    /// <exception cref="KeyNotFoundException">No such schema.</exception>
    public static string Read(string name)
    {
        using var reader = new StreamReader(Open(name));
        return reader.ReadToEnd();
    }

    private static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".schema.json";
    }
}
