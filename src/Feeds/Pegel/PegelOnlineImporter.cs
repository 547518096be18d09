using System.Text.Json;
using Streams.Contracts.Readings;
using Streams.Feeds.Model;

namespace Streams.Feeds.Pegel;

/// <summary>
/// PEGELONLINE REST API v2 responses (JSON), recognised by shape:
/// <list type="bullet">
/// <item><c>stations.json?includeTimeseries=true&amp;includeCharacteristicValues=true</c> (an array of stations), or one
/// station: registry entries (uuid as id), and a reading from each W timeseries' <c>currentMeasurement</c>;</item>
/// <item><c>.../W.json</c> (one timeseries with <c>currentMeasurement</c>, <c>characteristicValues</c>) and
/// <c>.../W/measurements.json</c> (an array of <c>timestamp</c>/<c>value</c>): readings for
/// <see cref="ImportOptions.StationId"/>, which these responses do not name;</item>
/// <item>the 15-minute archive excerpt of pegel-visual (<c>uuid</c>, <c>name</c>, <c>points</c>: [time, cm]).</item>
/// </list>
/// Values are cm above gauge zero; timestamps must carry their offset.
/// </summary>
public static class PegelOnlineImporter
{
    public static void Import(string path, ImportOptions options, FeedBatch batch)
    {
        var source = Path.GetFileName(path);
        if (JsonSource.Parse(path, batch) is not { } doc) return;
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root[0].ValueKind == JsonValueKind.Object && root[0].TryGetProperty("uuid", out _))
            {
                var i = 0;
                foreach (var station in root.EnumerateArray()) Station(station, $"[{i++}]", source, options, batch);
            }
            else if (root.ValueKind == JsonValueKind.Array)
                Measurements(root, "", source, options, batch);
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("points", out var points))
                Hires(root, points, source, options, batch);
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("uuid", out _))
                Station(root, "station", source, options, batch);
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("currentMeasurement", out var current))
            {
                if (RequireStation(options, source, batch) is { } id) Measurement(id, current, "currentMeasurement", source, batch);
            }
            else
                batch.Reject(source, "file", "not a PEGELONLINE response this importer knows (stations, timeseries, measurements)");
        }
    }

    private static void Station(JsonElement s, string position, string source, ImportOptions options, FeedBatch batch)
    {
        var id = Str(s, "uuid");
        if (id is null) { batch.Reject(source, position, "station without uuid"); return; }
        var name = Str(s, "shortname") ?? Str(s, "longname");
        position = $"{position} ({name ?? id})";
        var w = s.TryGetProperty("timeseries", out var series) && series.ValueKind == JsonValueKind.Array
            ? series.EnumerateArray().FirstOrDefault(t => Str(t, "shortname") == "W")
            : default;
        var interval = w.ValueKind == JsonValueKind.Object && w.TryGetProperty("equidistance", out var eq) && eq.TryGetInt32(out var minutes) && minutes > 0
            ? minutes * 60
            : Contracts.Registry.PegelEntry.DefaultExpectedIntervalSeconds;
        var water = s.TryGetProperty("water", out var wt) && wt.ValueKind == JsonValueKind.Object ? Str(wt, "longname") ?? Str(wt, "shortname") : null;
        var gauge = new GaugeInfo(id, Str(s, "number"), name, water, Num(s, "latitude"), Num(s, "longitude"), interval, Characteristic(w));
        gauge.Register(batch, options, source, position);
        if (w.ValueKind == JsonValueKind.Object && w.TryGetProperty("currentMeasurement", out var current))
            Measurement(id, current, $"{position}.currentMeasurement", source, batch);
    }

    private static Dictionary<string, double>? Characteristic(JsonElement w)
    {
        if (w.ValueKind != JsonValueKind.Object || !w.TryGetProperty("characteristicValues", out var values) || values.ValueKind != JsonValueKind.Array)
            return null;
        var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values.EnumerateArray())
            if (Str(v, "shortname") is { } n && Num(v, "value") is { } value && (Str(v, "unit") ?? "cm") == "cm") result[n] = value;
        return result;
    }

    private static void Measurements(JsonElement array, string prefix, string source, ImportOptions options, FeedBatch batch)
    {
        if (RequireStation(options, source, batch) is not { } id) return;
        var i = 0;
        foreach (var m in array.EnumerateArray()) Measurement(id, m, $"{prefix}[{i++}]", source, batch);
    }

    private static void Measurement(string stationId, JsonElement m, string position, string source, FeedBatch batch)
    {
        var text = m.ValueKind == JsonValueKind.Object ? Str(m, "timestamp") : null;
        if (Timestamps.ParseWithOffset(text) is not { } at)
        {
            batch.Reject(source, position, $"timestamp: expected ISO 8601 with an offset, got {(text is null ? "none" : $"\"{text}\"")}");
            return;
        }
        if (Num(m, "value") is not { } cm)
        {
            batch.Reject(source, position, "value: expected a number of cm");
            return;
        }
        batch.AddReading(new PegelReading(stationId, at, cm), source, position);
    }

    private static void Hires(JsonElement root, JsonElement points, string source, ImportOptions options, FeedBatch batch)
    {
        var id = options.StationId ?? Str(root, "uuid");
        if (id is null) { batch.Reject(source, "file", "no uuid"); return; }
        new GaugeInfo(id, null, Str(root, "name"), Str(root, "water"), null, null, Contracts.Registry.PegelEntry.DefaultExpectedIntervalSeconds)
            .Register(batch, options, source, "file");
        var i = 0;
        foreach (var p in points.EnumerateArray())
        {
            var position = $"points[{i++}]";
            if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 2 || p[0].ValueKind != JsonValueKind.String || p[1].ValueKind != JsonValueKind.Number)
            {
                batch.Reject(source, position, "expected [time, cm]");
                continue;
            }
            if (Timestamps.ParseWithOffset(p[0].GetString()) is not { } at) { batch.Reject(source, position, $"time without offset: \"{p[0].GetString()}\""); continue; }
            batch.AddReading(new PegelReading(id, at, p[1].GetDouble()), source, position);
        }
    }

    private static string? RequireStation(ImportOptions options, string source, FeedBatch batch)
    {
        if (options.StationId is { } id) return id;
        batch.Reject(source, "file", "measurements name no station: pass --station <uuid>");
        return null;
    }

    private static string? Str(JsonElement o, string name) => JsonSource.Text(o, name);

    private static double? Num(JsonElement o, string name) => JsonSource.Number(o, name);
}
