using System.Text.Json;

namespace Streams.Contracts.Validation;

/// <summary>
/// Checks that a municipality <c>boundary</c> is a GeoJSON (RFC 7946) Polygon or MultiPolygon: a polygon is one or
/// more linear rings, a ring is at least 4 positions with the last equal to the first, a position is
/// [lon, lat] (optionally a third number). <see cref="Check"/> finds structural problems (invalid-field),
/// <see cref="CheckRanges"/> positions outside WGS 84 (out-of-range).
/// </summary>
internal static class GeoJson
{
    public static Problem? Check(JsonElement geometry, string path)
    {
        if (geometry.ValueKind != JsonValueKind.Object)
            return Invalid(path, $"expected a GeoJSON Polygon or MultiPolygon object, got {Fields.Describe(geometry)}");
        if (!geometry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return Invalid(path, "expected a GeoJSON Polygon or MultiPolygon, but \"type\" is missing or not a string");
        string? typeName = type.ValueEquals("Polygon") ? "Polygon" : type.ValueEquals("MultiPolygon") ? "MultiPolygon" : null;
        if (typeName is null)
            return Invalid(path, $"expected a GeoJSON Polygon or MultiPolygon, got type {Fields.Describe(type)}");
        if (!geometry.TryGetProperty("coordinates", out var coordinates))
            return Invalid(path, $"a GeoJSON {typeName} needs \"coordinates\"");
        string coordinatesPath = JsonPath.Join(path, "coordinates");
        if (typeName == "Polygon")
            return Polygon(coordinates, coordinatesPath);
        if (coordinates.ValueKind != JsonValueKind.Array || coordinates.GetArrayLength() == 0)
            return Invalid(coordinatesPath, "a MultiPolygon needs a non-empty array of polygons");
        int i = 0;
        foreach (var polygon in coordinates.EnumerateArray())
        {
            if (Polygon(polygon, $"{coordinatesPath}[{i++}]") is { } problem)
                return problem;
        }

        return null;
    }

    /// <summary>Only for a geometry that passed <see cref="Check"/>.</summary>
    public static Problem? CheckRanges(JsonElement geometry, string path)
    {
        var coordinates = geometry.GetProperty("coordinates");
        bool multi = geometry.GetProperty("type").ValueEquals("MultiPolygon");
        var polygons = multi ? coordinates.EnumerateArray().ToList() : [coordinates];
        for (int p = 0; p < polygons.Count; p++)
        {
            int r = 0;
            foreach (var ring in polygons[p].EnumerateArray())
            {
                int q = 0;
                foreach (var position in ring.EnumerateArray())
                {
                    string at = $"{path}.coordinates{(multi ? $"[{p}]" : "")}[{r}][{q++}]";
                    double lon = position[0].GetDouble(), lat = position[1].GetDouble();
                    if (lon is < -180 or > 180)
                        return Problem.OutOfRange($"{at}: longitude {Fields.Format(lon)} is outside -180..180");
                    if (lat is < -90 or > 90)
                        return Problem.OutOfRange($"{at}: latitude {Fields.Format(lat)} is outside -90..90");
                }

                r++;
            }
        }

        return null;
    }

    private static Problem? Polygon(JsonElement polygon, string path)
    {
        if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0)
            return Invalid(path, "a Polygon needs a non-empty array of linear rings");
        int r = 0;
        foreach (var ring in polygon.EnumerateArray())
        {
            string ringPath = $"{path}[{r++}]";
            if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4)
                return Invalid(ringPath, "a linear ring needs at least 4 positions");
            int q = 0;
            foreach (var position in ring.EnumerateArray())
            {
                string positionPath = $"{ringPath}[{q++}]";
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is < 2 or > 3)
                    return Invalid(positionPath, "a position is [lon, lat] or [lon, lat, altitude]");
                foreach (var number in position.EnumerateArray())
                {
                    if (number.ValueKind != JsonValueKind.Number || !number.TryGetDouble(out double d) || !double.IsFinite(d))
                        return Invalid(positionPath, $"expected finite numbers, got {Fields.Describe(number)}");
                }
            }

            var first = ring[0];
            var last = ring[ring.GetArrayLength() - 1];
            if (first.GetArrayLength() != last.GetArrayLength()
                || first.EnumerateArray().Zip(last.EnumerateArray()).Any(pair => pair.First.GetDouble() != pair.Second.GetDouble()))
                return Invalid(ringPath, "a linear ring must be closed (last position equal to the first)");
        }

        return null;
    }

    private static Problem Invalid(string path, string error) => Problem.Invalid($"{path}: {error}");
}
