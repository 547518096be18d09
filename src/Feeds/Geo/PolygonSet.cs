using System.Text.Json;

namespace Streams.Feeds.Geo;

/// <summary>A GeoJSON Polygon or MultiPolygon as rings of (lon, lat), with an even-odd point-in-polygon test.</summary>
internal sealed class PolygonSet
{
    // Each polygon: outer ring first, then holes. Even-odd over all rings of a polygon handles holes.
    private readonly List<List<(double X, double Y)[]>> _polygons = [];

    public static PolygonSet? From(JsonElement geometry)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("type", out var type)
            || !geometry.TryGetProperty("coordinates", out var coords) || coords.ValueKind != JsonValueKind.Array)
            return null;
        var set = new PolygonSet();
        try
        {
            switch (type.GetString())
            {
                case "Polygon":
                    set._polygons.Add(Rings(coords));
                    break;
                case "MultiPolygon":
                    foreach (var polygon in coords.EnumerateArray()) set._polygons.Add(Rings(polygon));
                    break;
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
        return set._polygons.Count > 0 && set._polygons.All(p => p.Count > 0 && p.All(r => r.Length >= 4)) ? set : null;
    }

    public bool Contains(double x, double y) => _polygons.Any(rings => rings.Count(r => RingContains(r, x, y)) % 2 == 1);

    private static List<(double X, double Y)[]> Rings(JsonElement polygon) =>
        polygon.EnumerateArray().Select(ring => ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray()).ToList();

    private static bool RingContains((double X, double Y)[] ring, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
        {
            var (xi, yi) = ring[i];
            var (xj, yj) = ring[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }
}
