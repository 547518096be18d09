using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Feeds.Model;

namespace Streams.Feeds.Parking;

/// <summary>
/// A time series of free spaces per place (<c>timestamp_utc,place_id,free_spaces</c>, as in defgsus/parking-data)
/// with a metadata CSV for capacity and names (<c>place_id,place_name,…,num_all,…,latitude,longitude</c>).
/// Places missing from the metadata get no registry entry (reported once) but their readings are still written.
/// </summary>
public static class ParkingChangesCsvImporter
{

    public sealed record Place(string Id, string? Name, int? Capacity, double? Lat, double? Lon);

    public static Dictionary<string, Place> LoadMeta(string path, FeedBatch batch)
    {
        var source = Path.GetFileName(path);
        var (header, rows) = CsvLines.Read(path);
        int id = CsvLines.Column(header, "place_id"), name = CsvLines.Column(header, "place_name", "name"),
            capacity = CsvLines.Column(header, "num_all", "capacity"), lat = CsvLines.Column(header, "latitude", "lat"),
            lon = CsvLines.Column(header, "longitude", "lon");
        var places = new Dictionary<string, Place>();
        if (id < 0) { batch.Reject(source, "line 1", "metadata needs a place_id column"); return places; }
        foreach (var (line, f) in rows)
        {
            if (f.Length != header.Length) { batch.Reject(source, $"line {line}", $"expected {header.Length} columns, got {f.Length}"); continue; }
            double? cap = capacity >= 0 ? Timestamps.Number(f[capacity]) : null;
            places[f[id]] = new Place(f[id], name >= 0 ? f[name] : null, cap is { } c && c == Math.Floor(c) ? (int)c : null,
                lat >= 0 ? Timestamps.Number(f[lat]) : null, lon >= 0 ? Timestamps.Number(f[lon]) : null);
        }
        return places;
    }

    public static void Import(string path, IReadOnlyDictionary<string, Place> meta, ImportOptions options, FeedBatch batch)
    {
        var source = Path.GetFileName(path);
        var (header, rows) = CsvLines.Read(path);
        int time = CsvLines.Column(header, "timestamp_utc"), id = CsvLines.Column(header, "place_id"), free = CsvLines.Column(header, "free_spaces");
        if (time < 0 || id < 0 || free < 0) { batch.Reject(source, "line 1", "expected the columns timestamp_utc, place_id, free_spaces"); return; }
        foreach (var (line, f) in rows)
        {
            var position = $"line {line}";
            if (f.Length != header.Length) { batch.Reject(source, position, $"expected {header.Length} columns, got {f.Length}"); continue; }
            var placeId = f[id].Trim();
            if (placeId.Length == 0) { batch.Reject(source, position, "place_id is empty"); continue; }
            if ((Timestamps.ParseWithOffset(f[time]) ?? Timestamps.ParseUtc(f[time])) is not { } at)
            {
                batch.Reject(source, position, $"timestamp_utc: not a time: \"{f[time]}\"");
                continue;
            }
            if (!int.TryParse(f[free].Trim(), out var freeSpaces)) { batch.Reject(source, position, $"free_spaces: not a whole number: \"{f[free]}\""); continue; }
            meta.TryGetValue(placeId, out var place);
            Register(placeId, place, options, batch, source, position);
            batch.AddReading(new ParkingReading(placeId, at, freeSpaces, null, place?.Capacity), source, position);
        }
    }

    private static void Register(string id, Place? place, ImportOptions options, FeedBatch batch, string source, string position)
    {
        if (!batch.FirstAttempt(SubjectKind.Parking, id)) return;
        if (place?.Capacity is not > 0) batch.Reject(source, position, $"place {id}: no capacity in the metadata, no registry entry");
        else if (options.MunicipalityFor(place.Lat, place.Lon) is not { } municipality) batch.Reject(source, position, $"place {id}: {ImportOptions.NoMunicipality}");
        else
            batch.AddRegistry(new ParkingEntry(id, municipality, place.Name, place.Capacity.Value, ParkingEntry.DefaultAlmostFullPercent,
                ParkingEntry.DefaultClearPercent, ParkingEntry.DefaultExpectedIntervalSeconds), source, position);
    }
}
