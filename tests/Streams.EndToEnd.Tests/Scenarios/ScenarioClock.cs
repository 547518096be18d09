using System.Globalization;

namespace Streams.EndToEnd.Tests.Scenarios;

/// <summary>Scenario times: 15-minute steps from a start eight hours ago (so nothing is in the future), at +01:00.</summary>
public sealed class ScenarioClock(DateTimeOffset start)
{
    public static ScenarioClock EightHoursAgo()
    {
        var now = DateTimeOffset.UtcNow.AddHours(-8);
        return new ScenarioClock(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(1)));
    }

    public DateTimeOffset At(int step, int extraSeconds = 0) => start.AddMinutes(15 * step).AddSeconds(extraSeconds);

    public string Text(int step, int extraSeconds = 0) => At(step, extraSeconds).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
