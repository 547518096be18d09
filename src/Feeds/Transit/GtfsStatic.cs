using System.IO.Compression;
using Streams.Feeds.Model;

namespace Streams.Feeds.Transit;

/// <summary>
/// The parts of a GTFS static feed (zip or folder) that bus readings need: route names (<c>routes.txt</c>), each
/// trip's route (<c>trips.txt</c>) and stop count (<c>stops.txt</c>). Other files are not read.
/// </summary>
public sealed class GtfsStatic
{
    public sealed record Route(string Id, string? ShortName, string? LongName)
    {
        public string DisplayName => ShortName is { Length: > 0 } s ? s : LongName ?? Id;
    }

    public IReadOnlyDictionary<string, Route> Routes { get; private init; } = new Dictionary<string, Route>();
    public IReadOnlyDictionary<string, string> RouteOfTrip { get; private init; } = new Dictionary<string, string>();
    public int StopCount { get; private init; }

    public static GtfsStatic Load(string path, FeedBatch batch)
    {
        var source = Path.GetFileName(path.TrimEnd('/'));
        var files = ReadFiles(path);
        if (!files.ContainsKey("routes.txt") || !files.ContainsKey("trips.txt"))
        {
            batch.Reject(source, "feed", "a GTFS feed needs routes.txt and trips.txt");
            return new GtfsStatic();
        }
        var routes = new Dictionary<string, Route>();
        foreach (var (line, f, col) in Rows(files["routes.txt"], batch, $"{source}/routes.txt"))
            if (col("route_id") is { Length: > 0 } id) routes[id] = new Route(id, col("route_short_name"), col("route_long_name"));
            else batch.Reject($"{source}/routes.txt", $"line {line}", "route_id is empty");
        var trips = new Dictionary<string, string>();
        foreach (var (line, f, col) in Rows(files["trips.txt"], batch, $"{source}/trips.txt"))
            if (col("trip_id") is { Length: > 0 } trip && col("route_id") is { Length: > 0 } route) trips[trip] = route;
            else batch.Reject($"{source}/trips.txt", $"line {line}", "trip_id or route_id is empty");
        var stops = files.TryGetValue("stops.txt", out var s) ? Rows(s, batch, $"{source}/stops.txt").Count() : 0;
        return new GtfsStatic { Routes = routes, RouteOfTrip = trips, StopCount = stops };
    }

    private static Dictionary<string, string[]> ReadFiles(string path)
    {
        string[] wanted = ["routes.txt", "trips.txt", "stops.txt"];
        var result = new Dictionary<string, string[]>();
        if (Directory.Exists(path))
        {
            foreach (var name in wanted)
                if (File.Exists(Path.Combine(path, name))) result[name] = File.ReadAllLines(Path.Combine(path, name));
            return result;
        }
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => wanted.Contains(e.Name)))
        {
            using var reader = new StreamReader(entry.Open());
            result[entry.Name] = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        }
        return result;
    }

    private static IEnumerable<(int Line, string[] Fields, Func<string, string?> Column)> Rows(string[] lines, FeedBatch batch, string source)
    {
        if (lines.Length == 0) yield break;
        var header = CsvLines.Split(lines[0].TrimStart('\uFEFF')).Select(h => h.Trim()).ToArray();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = CsvLines.Split(lines[i]);
            if (fields.Length != header.Length)
            {
                batch.Reject(source, $"line {i + 1}", $"expected {header.Length} columns, got {fields.Length}");
                continue;
            }
            yield return (i + 1, fields, name => Array.IndexOf(header, name) is var c and >= 0 ? fields[c].Trim() : null);
        }
    }
}
