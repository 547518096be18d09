using System.Globalization;
using Streams.Contracts.Readings;
using Streams.Feeds.Model;

namespace Streams.Feeds.Pegel;

/// <summary>
/// The daily min/max archive of PEGELONLINE gauges (<c>station_uuid,shortname,water,date,min_w,max_w,unit</c>).
/// Each day becomes one reading: the day's maximum, at 12:00 MEZ (+01:00) of that date. The minimum is not written:
/// when in the day each happened is unknown, and warning stages are about the maxima. Gauges are registered with an
/// expected interval of one day, the cadence of this data.
/// </summary>
public static class WsvDailyCsvImporter
{
    public static readonly TimeSpan ReadingTimeOfDay = TimeSpan.FromHours(12);
    public static readonly TimeSpan Mez = TimeSpan.FromHours(1);
    private const int DaySeconds = 86_400;


    public static void Import(string path, ImportOptions options, FeedBatch batch)
    {
        var source = Path.GetFileName(path);
        var (header, rows) = CsvLines.Read(path);
        int uuid = CsvLines.Column(header, "station_uuid"), name = CsvLines.Column(header, "shortname"), water = CsvLines.Column(header, "water"),
            date = CsvLines.Column(header, "date"), max = CsvLines.Column(header, "max_w"), unit = CsvLines.Column(header, "unit");
        if (uuid < 0 || date < 0 || max < 0)
        {
            batch.Reject(source, "line 1", "expected the columns station_uuid, date, max_w");
            return;
        }
        foreach (var (line, f) in rows)
        {
            var position = $"line {line}";
            if (f.Length != header.Length) { batch.Reject(source, position, $"expected {header.Length} columns, got {f.Length}"); continue; }
            if (unit >= 0 && f[unit].Trim() is var u && u.Length > 0 && u != "cm") { batch.Reject(source, position, $"unit: expected cm, got \"{u}\""); continue; }
            if (!DateOnly.TryParseExact(f[date].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                batch.Reject(source, position, $"date: expected yyyy-MM-dd, got \"{f[date]}\"");
                continue;
            }
            if (Timestamps.Number(f[max]) is not { } cm) { batch.Reject(source, position, $"max_w: not a number: \"{f[max]}\""); continue; }
            var id = f[uuid].Trim();
            new GaugeInfo(id, null, name >= 0 ? f[name].Trim() : null, water >= 0 ? f[water].Trim() : null, null, null, DaySeconds)
                .Register(batch, options, source, position);
            batch.AddReading(new PegelReading(id, ReadingTime(day), cm), source, position);
        }
    }

    public static DateTimeOffset ReadingTime(DateOnly day) => new(day.ToDateTime(TimeOnly.FromTimeSpan(ReadingTimeOfDay)), Mez);
}
