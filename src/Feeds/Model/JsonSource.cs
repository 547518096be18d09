using System.Text.Json;

namespace Streams.Feeds.Model;

/// <summary>Reading JSON sources: the file (a parse error is reported, not thrown) and loosely typed fields.</summary>
public static class JsonSource
{
    /// <summary>The file's JSON, or null after reporting why it is not JSON.</summary>
    public static JsonDocument? Parse(string path, FeedBatch batch)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            batch.Reject(Path.GetFileName(path), "file", $"not JSON: {ex.Message}");
            return null;
        }
    }

    /// <summary>A string field, or a number field as its text (ids are either); null when absent or another type.</summary>
    public static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;

    public static double? Number(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d : null;
}
