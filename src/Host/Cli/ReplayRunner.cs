using Streams.Feeds;
using Streams.Feeds.Model;

namespace Streams.Host.Cli;

/// <summary>Runs a replay: convert, select (--from/--to, --registry-only), write (unless --dry-run), summarise, report.</summary>
internal static class ReplayRunner
{
    public static async Task<int> RunAsync(ReplaySettings settings, TextWriter output, CancellationToken cancel)
    {
        FeedBatch batch;
        try
        {
            batch = FeedFormats.Import(settings.Format, settings.Paths, settings.Inputs);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"streams replay: {ex.Message}");
            return 1;
        }

        var selected = Select(batch, settings);
        ReplaySummary.Converted(output, batch, selected);
        if (settings.DryRun)
        {
            ReplaySummary.Rejects(output, batch.Rejects);
            output.WriteLine("[replay] dry run: nothing written");
            return 0;
        }

        var options = ReplayConfiguration.Load();
        if (await ReplayKafkaTarget.ResolveAsync(settings, options, cancel) is not { } target)
        {
            Console.Error.WriteLine($"streams replay: no Kafka: pass --kafka host:port, start a node (none answered at {settings.NodeUrl}), or set Streams:Kafka:BootstrapServers");
            return 2;
        }
        output.WriteLine($"[replay] Kafka {target.BootstrapServers} (from {target.Origin}), speed {(settings.Speed is { } s ? $"{s}x" : "max")}");

        var result = await ReplayProgress.RunAsync(settings.Progress, selected.Count, output,
            progress => ReplayWriter.WriteAsync(selected, target, options.Topics, settings.Speed, progress, cancel,
                async keys =>
                {
                    if (await ReplayNodeStatus.WaitForRegistryAsync(settings.NodeUrl, keys, TimeSpan.FromSeconds(60), cancel))
                        output.WriteLine($"[replay] the node at {settings.NodeUrl} has read the {keys.Count} registry entries; writing the readings");
                }));
        ReplaySummary.Written(output, result);
        ReplaySummary.Rejects(output, batch.Rejects);
        if (result.Failed > 0) return result.WrittenPerTopic.Count == 0 ? 2 : 1;

        if (settings.Report)
        {
            var readings = selected.OfType<FeedRecord.Measurement>().ToList();
            var subjects = readings.Select(r => r.Reading.Subject).ToHashSet();
            if (await ReplayNodeStatus.WaitForCatchUpAsync(settings.NodeUrl, TimeSpan.FromMinutes(10), cancel))
                output.WriteLine($"[replay] the node at {settings.NodeUrl} has read everything (lag 0)");
            output.WriteLine($"[replay] waiting for alerts on {options.Topics.Alerts} until quiet for {settings.Settle.TotalSeconds:F0} s …");
            var lines = ReplayReport.Collect(target, options.Topics.Alerts, subjects,
                readings.Count > 0 ? readings[0].Reading.ObservedAt : DateTimeOffset.MinValue, settings.Settle, cancel);
            ReplayReport.Print(output, lines);
        }
        return 0;
    }

    /// <summary>The records to write, in write order: registry entries, then readings within --from/--to (none with --registry-only).</summary>
    private static List<FeedRecord> Select(FeedBatch batch, ReplaySettings settings) =>
        batch.InWriteOrder().Where(r => r switch
        {
            FeedRecord.Entry => true,
            FeedRecord.Measurement m => !settings.RegistryOnly
                && (settings.From is not { } from || m.ObservedAt >= from)
                && (settings.To is not { } to || m.ObservedAt < to),
            _ => false,
        }).ToList();
}
