using System.Text.RegularExpressions;
using Streams.Feeds.Model;

namespace Streams.Host.Cli;

/// <summary>The end-of-run summary: what was converted and written, and every reject grouped by its reason.</summary>
internal static partial class ReplaySummary
{
    private const int ListedInFull = 20;

    public static void Converted(TextWriter output, FeedBatch batch, IReadOnlyList<FeedRecord> selected)
    {
        var readings = selected.OfType<FeedRecord.Measurement>().ToList();
        output.WriteLine($"[replay] converted: {batch.Registry.Count} registry entries, {batch.Readings.Count} readings, {batch.Rejects.Count} rejected");
        output.WriteLine($"[replay] selected: {selected.Count - readings.Count} registry entries, {readings.Count} readings" +
            (readings.Count > 0 ? $" from {readings[0].ObservedAt:yyyy-MM-dd HH:mm zzz} to {readings[^1].ObservedAt:yyyy-MM-dd HH:mm zzz}" : ""));
        var registered = batch.Registry.Select(e => e.Subject).ToHashSet();
        var unregistered = readings.Where(r => !registered.Contains(r.Reading.Subject)).ToList();
        if (unregistered.Count > 0)
            output.WriteLine($"[replay] {unregistered.Count} readings of {unregistered.Select(r => r.Reading.Subject).Distinct().Count()} subjects " +
                "this replay does not register: Streams dead-letters them as unknown-subject unless they are registered already");
    }

    public static void Written(TextWriter output, ReplayWriter.Result result)
    {
        foreach (var (topic, count) in result.WrittenPerTopic.OrderBy(p => p.Key))
            output.WriteLine($"[replay] written: {count} to {topic}");
        output.WriteLine($"[replay] {result.WrittenPerTopic.Values.Sum()} records written in {result.Elapsed.TotalSeconds:F1} s" +
            (result.Failed > 0 ? $", {result.Failed} FAILED (first error: {result.FirstError})" : ""));
    }

    public static void Rejects(TextWriter output, IReadOnlyList<FeedReject> rejects)
    {
        if (rejects.Count == 0) { output.WriteLine("[replay] rejected: none"); return; }
        output.WriteLine($"[replay] rejected: {rejects.Count}");
        if (rejects.Count <= ListedInFull)
        {
            foreach (var r in rejects) output.WriteLine($"  {r}");
            return;
        }
        foreach (var group in rejects.GroupBy(r => Shape(r.Reason)).OrderByDescending(g => g.Count()))
            output.WriteLine($"  {group.Count(),6} × {group.First()}{(group.Count() > 1 ? " (and alike)" : "")}");
    }

    [GeneratedRegex("\"[^\"]*\"|\\d+(\\.\\d+)?")]
    private static partial Regex Values();

    /// <summary>A reason with its quoted values and numbers blanked, so rejects of the same kind group together.</summary>
    private static string Shape(string reason) => Values().Replace(reason, "_");
}
