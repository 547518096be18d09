using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.IO.Converters;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// Finds the municipality whose registry boundary (GeoJSON Polygon/MultiPolygon, WGS 84) contains a point. Rebuilt
/// lazily when the view's municipality entries change; boundaries that cannot be read are skipped (the validator rejects them).
/// </summary>
public sealed class MunicipalityLocator
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };
    private readonly RegistryView _registry;
    // The boundaries and the municipality entries they were read from: rebuilt when the view's entries change.
    private volatile Boundaries? _boundaries;

    public MunicipalityLocator(RegistryView registry) => _registry = registry;

    /// <summary>The municipality containing (lat, lon), or null. On a shared border the lowest id wins (deterministic).</summary>
    public string? Locate(double lat, double lon)
    {
        var entries = _registry.MunicipalityEntries;
        var boundaries = _boundaries;
        if (!ReferenceEquals(boundaries?.From, entries)) _boundaries = boundaries = new Boundaries(entries, Build(entries.Values));
        var point = new Point(lon, lat);
        return boundaries!.Each
            .Where(b => b.Boundary.Covers(point))
            .Select(b => b.Id)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static List<(string, IPreparedGeometry)> Build(IEnumerable<MunicipalityEntry> municipalities)
    {
        var result = new List<(string, IPreparedGeometry)>();
        foreach (var m in municipalities)
        {
            if (m.Boundary is not { } boundary) continue;
            if (TryRead(boundary) is { } geometry) result.Add((m.Id, PreparedGeometryFactory.Prepare(geometry)));
        }
        return result;
    }

    private sealed record Boundaries(IReadOnlyDictionary<string, MunicipalityEntry> From, IReadOnlyList<(string Id, IPreparedGeometry Boundary)> Each);

    internal static Geometry? TryRead(JsonElement boundary)
    {
        try
        {
            var geometry = boundary.Deserialize<Geometry>(GeoJson);
            return geometry is Polygon or MultiPolygon && geometry.IsValid ? geometry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
