using System.Globalization;

namespace Streams.Host.Cli;

/// <summary>`--speed`: <c>max</c> (no waiting) or <c>N</c>/<c>Nx</c>, event time N times faster than wall time.</summary>
internal static class ReplaySpeed
{
    public static bool TryParse(string text, out double? factor)
    {
        factor = null;
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase)) return true;
        var number = text.EndsWith('x') || text.EndsWith('X') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || !double.IsFinite(f) || f <= 0) return false;
        factor = f;
        return true;
    }

    /// <summary>`--from`/`--to`: a time with offset, or a date (its midnight UTC).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
