using System.Globalization;
using System.Text;
using System.Text.Json;
using Streams.Bench.Scenarios;

namespace Streams.Bench.Report;

/// <summary>The end of a benchmark: a table of every figure per run with the median and the targets, then <c>BENCH {json}</c>.</summary>
public static class BenchReport
{
    public static Figures Median(IReadOnlyList<Figures> runs)
    {
        var median = new Figures();
        foreach (var name in runs[0].Names)
        {
            var values = runs.Select(r => r.Get(name)).Where(v => v is { } x && !double.IsNaN(x)).Select(v => v!.Value).Order().ToList();
            var value = values.Count == 0 ? double.NaN
                : values.Count % 2 == 1 ? values[values.Count / 2]
                : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
            median.Add(name, value, runs[0].Unit(name));
        }
        return median;
    }

    public static string Table(IScenario scenario, IReadOnlyList<Figures> runs, Figures median)
    {
        var targets = scenario.Targets.ToDictionary(t => t.Figure);
        var header = new List<string> { "figure" };
        header.AddRange(runs.Select((_, i) => $"run {i + 1}"));
        if (runs.Count > 1) header.Add("median");
        header.Add("target");
        var rows = new List<List<string>> { header };
        foreach (var name in median.Names)
        {
            var row = new List<string> { name };
            row.AddRange(runs.Select(r => Format(r.Get(name), r.Has(name) ? r.Unit(name) : "")));
            if (runs.Count > 1) row.Add(Format(median[name], median.Unit(name)));
            row.Add(targets.TryGetValue(name, out var t) ? $"{t.Text}: {(t.Met(median[name]) ? "met" : "MISSED")}" : "");
            rows.Add(row);
        }
        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            sb.Append("| ").AppendJoin(" | ", row.Select((cell, c) => c == 0 || c == row.Count - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).AppendLine(" |");
            if (index == 0) sb.Append("|").AppendJoin("|", widths.Select(w => new string('-', w + 2))).AppendLine("|");
        }
        return sb.ToString();
    }

    public static string Json(IScenario scenario, IReadOnlyDictionary<string, string> options, IReadOnlyList<string> hostArgs,
        SortedDictionary<string, object> machine, IReadOnlyList<Figures> runs, Figures median)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("scenario", scenario.Name);
            w.WriteString("what", scenario.What);
            w.WriteNumber("runs", runs.Count);
            w.WriteString("quoted", runs.Count > 1 ? "median" : "single run");
            foreach (var name in median.Names) Number(w, name, median[name]);
            w.WriteStartObject("targets");
            foreach (var t in scenario.Targets.Where(t => median.Has(t.Figure)))
            {
                w.WriteStartObject(t.Figure);
                w.WriteString("target", t.Text);
                w.WriteBoolean("met", t.Met(median[t.Figure]));
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("machine");
            foreach (var (k, v) in machine)
                if (v is int i) w.WriteNumber(k, i);
                else if (v is double d) w.WriteNumber(k, d);
                else w.WriteString(k, v.ToString());
            w.WriteEndObject();
            w.WriteStartObject("options");
            foreach (var (k, v) in options) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("hostArgs");
            foreach (var a in hostArgs) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteStartArray("perRun");
            foreach (var run in runs)
            {
                w.WriteStartObject();
                foreach (var name in run.Names) Number(w, name, run[name]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) w.WriteNull(name);
        else w.WriteNumber(name, Round(value));
    }

    private static double Round(double v) => Math.Abs(v) >= 100 ? Math.Round(v, 1) : Math.Abs(v) >= 1 ? Math.Round(v, 4) : double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Format(double? value, string unit)
    {
        if (value is not { } v) return "";
        if (double.IsNaN(v)) return "n/a";
        var text = Math.Abs(v) >= 100 || v == Math.Floor(v) ? v.ToString("N0", CultureInfo.InvariantCulture)
            : Math.Abs(v) >= 1 ? v.ToString("0.###", CultureInfo.InvariantCulture)
            : v.ToString("G3", CultureInfo.InvariantCulture);
        return unit is "" or "/s" ? text : $"{text} {unit}";
    }
}
