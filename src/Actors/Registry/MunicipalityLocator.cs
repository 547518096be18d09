using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.IO.Converters;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// Finds the municipality whose registry boundary (GeoJSON Polygon/MultiPolygon, WGS 84) contains a point. Rebuilt
/// lazily when municipality entries change; boundaries that cannot be read are skipped (the validator rejects them).
/// </summary>
public sealed class MunicipalityLocator
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };
    private readonly RegistryView _registry;
    private volatile IReadOnlyList<(string Id, IPreparedGeometry Boundary)>? _boundaries;

    public MunicipalityLocator(RegistryView registry)
    {
        _registry = registry;
        registry.Changed += change =>
        {
            if (change.Kind == Contracts.SubjectKind.Municipality) _boundaries = null;
        };
    }

    /// <summary>The municipality containing (lat, lon), or null. On a shared border the lowest id wins (deterministic).</summary>
    public string? Locate(double lat, double lon)
    {
        var point = new Point(lon, lat);
        return (_boundaries ??= Build())
            .Where(b => b.Boundary.Covers(point))
            .Select(b => b.Id)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private List<(string, IPreparedGeometry)> Build()
    {
        var result = new List<(string, IPreparedGeometry)>();
        foreach (var m in _registry.Municipalities)
        {
            if (m.Boundary is not { } boundary) continue;
            if (TryRead(boundary) is { } geometry) result.Add((m.Id, PreparedGeometryFactory.Prepare(geometry)));
        }
        return result;
    }

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
