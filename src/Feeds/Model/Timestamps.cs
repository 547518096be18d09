using System.Globalization;
using System.Text.RegularExpressions;

namespace Streams.Feeds.Model;

/// <summary>Source timestamps: only ones that say their offset are accepted, and the offset is kept.</summary>
public static partial class Timestamps
{
    [GeneratedRegex(@"(Z|[+-]\d\d:?\d\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();

    /// <summary>Parses an ISO 8601 time with an offset (<c>2025-10-26T02:30:00+01:00</c>, <c>...Z</c>); null otherwise.</summary>
    public static DateTimeOffset? ParseWithOffset(string? text)
    {
        if (text is null || !OffsetSuffix().IsMatch(text.Trim())) return null;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    /// <summary>A time given in UTC without a suffix (e.g. a <c>timestamp_utc</c> column).</summary>
    public static DateTimeOffset? ParseUtc(string? text) =>
        DateTime.TryParse(text?.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;

    public static double? Number(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
