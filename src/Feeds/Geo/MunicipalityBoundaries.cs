using System.Text.Json;
using Streams.Contracts.Registry;
using Streams.Feeds.Model;

namespace Streams.Feeds.Geo;

/// <summary>
/// Municipality boundaries from a GeoJSON FeatureCollection whose features carry the AGS (8 digits) in their
/// properties (<c>AGS</c>, as in the BKG's VG250, or <c>ags</c>) and a name (<c>GEN</c> or <c>name</c>).
/// Gives the <c>municipality</c> registry entries and places a coordinate in the municipality containing it.
/// </summary>
public sealed class MunicipalityBoundaries
{
    private readonly List<(MunicipalityEntry Entry, PolygonSet Area)> _areas = [];

    public IEnumerable<MunicipalityEntry> Entries => _areas.Select(a => a.Entry);

    /// <summary>The AGS of the first municipality whose boundary contains the point, or null.</summary>
    public string? Locate(double lat, double lon) => _areas.FirstOrDefault(a => a.Area.Contains(lon, lat)).Entry?.Id;

    /// <summary>Reads the file; features without a usable AGS or geometry are reported in <paramref name="batch"/>.</summary>
    public static MunicipalityBoundaries Load(string path, FeedBatch batch)
    {
        var result = new MunicipalityBoundaries();
        var source = Path.GetFileName(path);
        if (JsonSource.Parse(path, batch) is not { } doc) return result;
        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                batch.Reject(source, "file", "not a GeoJSON FeatureCollection (no features array)");
                return result;
            }

            var i = 0;
            foreach (var feature in features.EnumerateArray())
            {
                var position = $"features[{i++}]";
                var props = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                var ags = JsonSource.Text(props, "AGS") ?? JsonSource.Text(props, "ags");
                if (ags is null || ags.Length != 8 || !ags.All(char.IsAsciiDigit))
                {
                    batch.Reject(source, position, $"no 8-digit AGS in properties (got {(ags is null ? "none" : $"\"{ags}\"")})");
                    continue;
                }
                if (!feature.TryGetProperty("geometry", out var geometry) || PolygonSet.From(geometry) is not { } area)
                {
                    batch.Reject(source, $"{position} (AGS {ags})", "geometry is not a Polygon or MultiPolygon");
                    continue;
                }
                var entry = new MunicipalityEntry(ags, JsonSource.Text(props, "GEN") ?? JsonSource.Text(props, "name"), geometry.Clone());
                if (batch.AddRegistry(entry, source, $"{position} (AGS {ags})")) result._areas.Add((entry, area));
            }
        }
        return result;
    }
}
