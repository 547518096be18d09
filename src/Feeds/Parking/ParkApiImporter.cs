using System.Text.Json;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Feeds.Model;

namespace Streams.Feeds.Parking;

/// <summary>
/// The city JSON that ParkAPI/ParkenDD publish (<c>last_updated</c>, <c>lots[]</c> with <c>id</c>, <c>name</c>,
/// <c>total</c>, <c>free</c>, <c>state</c>, <c>coords</c>) → <c>parking</c> registry entries and readings.
/// <c>last_updated</c> without an offset is UTC, as ParkAPI documents it. A lot in state <c>nodata</c> or
/// <c>closed</c> gives no reading (its free count is not a measurement) and is reported.
/// </summary>
public static class ParkApiImporter
{
    private static readonly string[] NoReadingStates = ["nodata", "closed"];

    public static void Import(string path, ImportOptions options, FeedBatch batch)
    {
        var source = Path.GetFileName(path);
        if (JsonSource.Parse(path, batch) is not { } doc) return;
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("lots", out var lots) || lots.ValueKind != JsonValueKind.Array)
            {
                batch.Reject(source, "file", "not a ParkAPI city response (no lots array)");
                return;
            }
            var updatedText = Str(root, "last_updated");
            var updated = Timestamps.ParseWithOffset(updatedText) ?? Timestamps.ParseUtc(updatedText);
            var i = 0;
            foreach (var lot in lots.EnumerateArray()) Lot(lot, $"lots[{i++}]", updated, updatedText, source, options, batch);
        }
    }

    private static void Lot(JsonElement lot, string position, DateTimeOffset? updated, string? updatedText, string source, ImportOptions options, FeedBatch batch)
    {
        var id = Str(lot, "id");
        if (id is null) { batch.Reject(source, position, "lot without id"); return; }
        position = $"{position} (id {id})";
        var total = Int(lot, "total");
        double? lat = null, lon = null;
        if (lot.TryGetProperty("coords", out var coords) && coords.ValueKind == JsonValueKind.Object)
        {
            lat = Num(coords, "lat");
            lon = Num(coords, "lng") ?? Num(coords, "lon");
        }

        if (batch.FirstAttempt(SubjectKind.Parking, id))
        {
            if (total is not > 0) batch.Reject(source, position, $"total: expected a capacity above 0, got {Raw(lot, "total")}");
            else if (options.MunicipalityFor(lat, lon) is not { } municipality)
                batch.Reject(source, position, lat is null ? $"no coords and {ImportOptions.NoMunicipality}" : ImportOptions.NoMunicipality);
            else
                batch.AddRegistry(new ParkingEntry(id, municipality, Str(lot, "name"), total.Value, ParkingEntry.DefaultAlmostFullPercent,
                    ParkingEntry.DefaultClearPercent, ParkingEntry.DefaultExpectedIntervalSeconds), source, position);
        }

        var state = Str(lot, "state");
        if (state is not null && NoReadingStates.Contains(state))
        {
            batch.Reject(source, position, $"state {state}: no reading (free {Raw(lot, "free")} is not a measurement)");
            return;
        }
        if (updated is not { } at) { batch.Reject(source, position, $"last_updated: not a time: \"{updatedText}\""); return; }
        if (Int(lot, "free") is not { } free) { batch.Reject(source, position, $"free: expected a whole number, got {Raw(lot, "free")}"); return; }
        batch.AddReading(new ParkingReading(id, at, free, null, total is > 0 ? total : null), source, position);
    }

    private static string Raw(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.GetRawText() : "nothing";

    private static string? Str(JsonElement o, string name) => JsonSource.Text(o, name);

    private static double? Num(JsonElement o, string name) => JsonSource.Number(o, name);

    private static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
}
