using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Streams.Feeds.Model;

namespace Streams.Feeds.Pegel;

/// <summary>
/// Per-station warning stages in cm (NRW information levels, Saxony's Alarmstufen, …), which PEGELONLINE does not
/// carry. Read from CSV or JSON:
/// <list type="bullet">
/// <item>CSV with a header: a station column (<c>station</c>, <c>station_uuid</c>, <c>uuid</c>, <c>station_no</c>,
/// <c>number</c> or <c>id</c>), optionally a name column (<c>station_name</c>, <c>name</c>, <c>shortname</c>), stage
/// columns named like <c>stage1</c>, <c>Info_1</c>, <c>LANUV_Info_2_cm</c>, <c>Alarmstufe_3</c>, <c>Meldestufe4</c>
/// (in column order; empty cells are no stage), optionally <c>hysteresisCm</c>. The LANUK threshold CSV reads as is.</item>
/// <item>JSON: an array of objects, or an object of objects keyed by station id (the LANUK gauge metadata reads as
/// is), each with <c>id</c>/<c>uuid</c>, <c>name</c>, and the stages in <c>stagesCm</c>, <c>stages</c>, <c>info</c> or
/// <c>alarmstufen</c> (nulls are no stage), optionally <c>hysteresisCm</c>.</item>
/// </list>
/// A station is looked up by its id, then its number, then its name (case, umlauts, punctuation and a <c>WSV</c>
/// prefix ignored, so <c>KÖLN</c> finds <c>WSV_Koeln</c>).
/// </summary>
public sealed partial class StageTable
{
    public sealed record Stages(IReadOnlyList<double> StagesCm, double? HysteresisCm);

    private readonly Dictionary<string, Stages> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Stages> _byName = new();

    public int Count => _byId.Count;

    public Stages? Find(string? id, string? number, string? name) =>
        (id is not null && _byId.TryGetValue(id, out var s) ? s : null)
        ?? (number is not null && _byId.TryGetValue(number, out s) ? s : null)
        ?? (name is not null && _byName.TryGetValue(NameKey(name), out s) ? s : null);

    public static StageTable Load(string path, FeedBatch batch)
    {
        var table = new StageTable();
        var source = Path.GetFileName(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) table.LoadJson(path, source, batch);
        else table.LoadCsv(path, source, batch);
        return table;
    }

    [GeneratedRegex(@"(stage|info|alarmstufe|meldestufe)_?(\d|i+v?|iv)(_cm)?$", RegexOptions.IgnoreCase)]
    private static partial Regex StageColumn();

    private void LoadCsv(string path, string source, FeedBatch batch)
    {
        var (header, rows) = CsvLines.Read(path);
        var idCol = CsvLines.Column(header, "station", "station_uuid", "uuid", "station_no", "number", "id");
        var nameCol = CsvLines.Column(header, "station_name", "name", "shortname");
        var hysteresisCol = CsvLines.Column(header, "hysteresisCm", "hysteresis_cm");
        var stageCols = header.Select((h, i) => (h, i)).Where(c => StageColumn().IsMatch(c.h.Trim())).Select(c => c.i).ToArray();
        if (idCol < 0 || stageCols.Length == 0)
        {
            batch.Reject(source, "line 1", "stages CSV needs a station column and stage columns (stage1…, Info_1…, Alarmstufe_1…)");
            return;
        }
        foreach (var (line, f) in rows)
        {
            if (f.Length != header.Length)
            {
                batch.Reject(source, $"line {line}", $"expected {header.Length} columns, got {f.Length}");
                continue;
            }
            var stages = new List<double>();
            var bad = stageCols.FirstOrDefault(c => f[c].Trim().Length > 0 && Timestamps.Number(f[c]) is null, -1);
            if (bad >= 0)
            {
                batch.Reject(source, $"line {line}", $"{header[bad]}: not a number: \"{f[bad]}\"");
                continue;
            }
            stages.AddRange(stageCols.Select(c => Timestamps.Number(f[c])).OfType<double>());
            Add(f[idCol].Trim(), nameCol >= 0 ? f[nameCol] : null, stages, hysteresisCol >= 0 ? Timestamps.Number(f[hysteresisCol]) : null);
        }
    }

    private void LoadJson(string path, string source, FeedBatch batch)
    {
        if (JsonSource.Parse(path, batch) is not { } doc) return;
        using (doc)
        {
            var root = doc.RootElement;
            var items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select((e, i) => (Key: (string?)null, Value: e, Position: $"[{i}]")).ToList(),
                JsonValueKind.Object => root.EnumerateObject().Select(p => (Key: (string?)p.Name, p.Value, Position: $"\"{p.Name}\"")).ToList(),
                _ => [],
            };
            foreach (var (key, value, position) in items)
            {
                if (value.ValueKind != JsonValueKind.Object) { batch.Reject(source, position, "not an object"); continue; }
                var id = Str(value, "id") ?? Str(value, "uuid") ?? key;
                var array = new[] { "stagesCm", "stages", "info", "alarmstufen" }
                    .Select(n => value.TryGetProperty(n, out var a) && a.ValueKind == JsonValueKind.Array ? a : (JsonElement?)null)
                    .FirstOrDefault(a => a is not null);
                if (id is null || array is null) { batch.Reject(source, position, "needs an id and a stagesCm/info/alarmstufen array"); continue; }
                var stages = array.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
                double? hysteresis = value.TryGetProperty("hysteresisCm", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetDouble() : null;
                Add(id, Str(value, "name"), stages, hysteresis);
            }
        }
    }

    /// <summary>A station with no stage values (all empty or null) is left out: it has no stages, not stages of 0.</summary>
    private void Add(string id, string? name, List<double> stages, double? hysteresis)
    {
        if (stages.Count == 0) return;
        var entry = new Stages(stages, hysteresis);
        _byId[id] = entry;
        if (!string.IsNullOrWhiteSpace(name)) _byName[NameKey(name)] = entry;
    }

    private static string? Str(JsonElement obj, string name) => JsonSource.Text(obj, name);

    internal static string NameKey(string name)
    {
        var folded = new StringBuilder();
        foreach (var c in name.ToUpperInvariant())
        {
            switch (c)
            {
                case 'Ä': folded.Append("AE"); break;
                case 'Ö': folded.Append("OE"); break;
                case 'Ü': folded.Append("UE"); break;
                case 'ß': folded.Append("SS"); break;
                default: if (char.IsAsciiLetterOrDigit(c)) folded.Append(c); break;
            }
        }
        var key = folded.ToString();
        return key.StartsWith("WSV", StringComparison.Ordinal) && key.Length > 3 ? key[3..] : key;
    }
}
