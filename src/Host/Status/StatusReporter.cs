using Streams.Actors.Ingestion;
using Streams.Actors.Registry;
using Streams.Host.Configuration;
using Streams.Host.Ingestion;

namespace Streams.Host.Status;

/// <summary>One line every few seconds: what came in, what went out, what is alive, how far behind.</summary>
public sealed class StatusReporter(
    StreamsOptions options,
    PipelineMetrics metrics,
    RegistryView registry,
    ReadingsService readings,
    Readiness readiness) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Pipeline.StatusIntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Console.WriteLine(Line());
        }
        catch (OperationCanceledException) { }
    }

    public string Line()
    {
        var consumed = metrics.ConsumedPerTopic;
        string Count(string topic) => consumed.TryGetValue(topic, out var n) ? n.ToString() : "0";
        var t = options.Topics;
        var lag = LagTotal(readings);
        var ready = readiness.IsReady ? "ready" : "NOT READY (" + string.Join("; ", readiness.Unmet.Values) + ")";
        return $"[streams] consumed pegel={Count(t.Pegel)} parking={Count(t.Parking)} bus={Count(t.Bus)}"
               + $" | applied={metrics.Applied} duplicates={metrics.Duplicates} alerts={metrics.Alerts}"
               + $" | dead letters={metrics.DeadLetters} | entities={metrics.LiveEntities} registry={registry.Count}"
               + $" | lag={(lag is null ? "?" : lag.ToString())} | {ready}";
    }

    public static long? LagTotal(ReadingsService readings)
    {
        var control = readings.Control;
        if (control is null) return null;
        try { return control.Lag().Values.Sum(); }
        catch (Exception) { return null; }
    }
}
