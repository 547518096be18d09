using System.Text;

namespace Streams.Feeds.Model;

/// <summary>Minimal RFC 4180 CSV: comma-separated, optional double quotes ("" inside quotes is a quote), one record a line.</summary>
public static class CsvLines
{
    /// <summary>The header's column names and then each non-empty line with its 1-based line number.</summary>
    public static (string[] Header, IEnumerable<(int Line, string[] Fields)> Rows) Read(string path)
    {
        var lines = File.ReadLines(path).Select((text, i) => (Line: i + 1, Text: text.TrimEnd('\r')));
        using var e = lines.GetEnumerator();
        var header = e.MoveNext() ? Split(e.Current.Text.TrimStart('\uFEFF')) : [];
        return (header, lines.Skip(1).Where(l => l.Text.Length > 0).Select(l => (l.Line, Split(l.Text))));
    }

    public static int Column(string[] header, params string[] names)
    {
        foreach (var name in names)
        {
            var i = Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) return i;
        }
        return -1;
    }

    public static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
