using System.Globalization;
using System.Text.Json;

namespace Streams.Contracts.Validation;

/// <summary>
/// Reads the fields of one JSON object and records the first problem. Every read is a no-op once a problem is
/// recorded, so parsers can be written as straight-line code and checked once at the end. An absent field and a
/// field whose value is JSON <c>null</c> are the same thing.
/// </summary>
internal sealed class Fields(JsonElement obj, string path = "")
{
    public Problem? Problem { get; private set; }

    public bool Failed => Problem is not null;

    public void Fail(Problem problem) => Problem ??= problem;

    public string Name(string field) => JsonPath.Join(path, field);

    public bool Has(string field) => obj.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Get(string field) =>
        obj.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>missing-field for every named field that is absent or null (all of them in one message).</summary>
    /// <remarks>Runs for every record: allocates nothing unless a field is missing.</remarks>
    public void Require(params ReadOnlySpan<string> fields)
    {
        if (Failed)
            return;
        List<string>? missing = null;
        foreach (var field in fields)
        {
            if (!Has(field))
                (missing ??= []).Add(Name(field));
        }
        if (missing is null)
            return;
        Fail(Validation.Problem.Missing(missing.Count == 1
            ? $"{missing[0]}: required field is missing"
            : $"{string.Join(", ", missing)}: required fields are missing"));
    }

    public string? String(string field)
    {
        if (Failed || Get(field) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(Validation.Problem.Invalid($"{Name(field)}: expected a string, got {Describe(v)}"));
            return null;
        }

        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            Fail(Validation.Problem.Invalid($"{Name(field)}: string contains an invalid \\u escape (lone surrogate)"));
            return null;
        }
    }

    /// <summary>A non-empty string used as an identifier.</summary>
    public string? Id(string field)
    {
        var s = String(field);
        if (s is { Length: 0 })
        {
            Fail(Validation.Problem.Invalid($"{Name(field)}: must not be empty"));
            return null;
        }

        return s;
    }

    public DateTimeOffset? Timestamp(string field)
    {
        var s = String(field);
        if (s is null)
            return null;
        if (Rfc3339.TryParse(s, out var value))
            return value;
        Fail(Validation.Problem.Invalid(
            $"{Name(field)}: expected an RFC 3339 date-time with offset (e.g. 2026-11-25T10:15:00+01:00), got {Quote(s)}"));
        return null;
    }

    public double? Number(string field) => Failed || Get(field) is not { } v ? null : Number(v, Name(field));

    public double? Number(JsonElement v, string name)
    {
        if (Failed)
            return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d))
            return d;
        Fail(Validation.Problem.Invalid(IsNonFinite(v)
            ? $"{name}: NaN and infinities are not allowed, got {Describe(v)}"
            : $"{name}: expected a number, got {Describe(v)}"));
        return null;
    }

    public int? Integer(string field)
    {
        if (Failed || Get(field) is not { } v)
            return null;
        string name = Name(field);
        if (IsNonFinite(v))
        {
            Fail(Validation.Problem.Invalid($"{name}: NaN and infinities are not allowed, got {Describe(v)}"));
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || Math.Floor(d) != d)
        {
            Fail(Validation.Problem.Invalid($"{name}: expected an integer, got {Describe(v)}"));
            return null;
        }

        if (d is < int.MinValue or > int.MaxValue)
        {
            Fail(Validation.Problem.OutOfRange($"{name}: {Describe(v)} does not fit a 32-bit integer"));
            return null;
        }

        return (int)d;
    }

    /// <summary>NaN or ±infinity, as a number token that overflows (1e999) or as a string ("NaN", "-Infinity").</summary>
    private static bool IsNonFinite(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number)
            return v.TryGetDouble(out double d) && !double.IsFinite(d);
        if (v.ValueKind != JsonValueKind.String)
            return false;
        try
        {
            return double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
                && !double.IsFinite(parsed);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when no problem is recorded yet and <paramref name="ok"/> is false: the caller then records the
    /// out-of-range problem with <see cref="OutOfRange"/>. The message is built only then (no closure per record).
    /// </summary>
    public bool Violates(bool ok) => !Failed && !ok;

    public void OutOfRange(string error) => Fail(Validation.Problem.OutOfRange(error));

    public void Between(double? value, double min, double max, string field)
    {
        if (value is { } v && Violates(v >= min && v <= max))
            OutOfRange($"{Name(field)}: {Format(v)} is outside {Format(min)}..{Format(max)}");
    }

    public void AtLeast(double? value, double min, string field)
    {
        if (value is { } v && Violates(v >= min))
            OutOfRange($"{Name(field)}: {Format(v)} is below {Format(min)}");
    }

    public void Positive(double? value, string field)
    {
        if (value is { } v && Violates(v > 0))
            OutOfRange($"{Name(field)}: {Format(v)} must be greater than 0");
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Truncate(v.GetRawText()),
    };

    /// <summary>A string as a JSON string literal, for error messages.</summary>
    public static string Quote(string s) =>
        Truncate("\"" + JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"");

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
