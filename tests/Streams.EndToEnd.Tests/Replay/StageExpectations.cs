using System.Globalization;

namespace Streams.EndToEnd.Tests.Replay;

/// <summary>
/// The contract's stage rule worked out over recorded daily maxima, for the tests' expectations: stage N is raised
/// when a day's maximum is at or above level N and cleared when it is below level N − hysteresis; upward in
/// ascending order, downward highest first. Read straight from the data files, not through the importers.
/// </summary>
internal static class StageExpectations
{
    public const double ContractDefaultHysteresisCm = 10;   // CONTRACT.md: hysteresisCm defaults to 10

    /// <summary>(date, max_w) of the WSV daily min/max CSV, in date order.</summary>
    public static List<(DateOnly Day, double Max)> DailyMaxima(string csv, DateOnly? from = null, DateOnly? to = null) =>
        File.ReadLines(csv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => (Day: DateOnly.ParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture), Max: double.Parse(f[5], CultureInfo.InvariantCulture)))
            .Where(d => (from is null || d.Day >= from) && (to is null || d.Day < to))
            .OrderBy(d => d.Day).ToList();

    public static List<(string Rule, string State, DateOnly Day)> Transitions(IEnumerable<(DateOnly Day, double Max)> days, double[] levels)
    {
        var open = new bool[levels.Length];
        var transitions = new List<(string, string, DateOnly)>();
        foreach (var (day, max) in days)
        {
            for (var n = 0; n < levels.Length; n++)
                if (!open[n] && max >= levels[n]) { open[n] = true; transitions.Add(($"pegel.stage{n + 1}", "raised", day)); }
            for (var n = levels.Length - 1; n >= 0; n--)
                if (open[n] && max < levels[n] - ContractDefaultHysteresisCm) { open[n] = false; transitions.Add(($"pegel.stage{n + 1}", "cleared", day)); }
        }
        return transitions;
    }
}
