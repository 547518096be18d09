using System.Diagnostics.Metrics;
using Streams.Actors.Ingestion;

namespace Streams.Actors.Tests;

/// <summary>The exported meter reads the same counters as the status line and /api/status.</summary>
public sealed class PipelineMetricsMeterSpec
{
    [Fact]
    public void Observable_instruments_report_the_counters_the_status_line_reads()
    {
        using var factory = new OneMeterFactory();
        var metrics = new PipelineMetrics(factory);
        metrics.Consumed("streams.pegel");
        metrics.Consumed("streams.pegel");
        metrics.Consumed("streams.bus");
        metrics.DeadLettered("not-json");
        metrics.Acknowledged(applied: true, alerts: 1);
        metrics.Acknowledged(applied: false, alerts: 0);
        metrics.AlertPublished("pegel.stage1", "raised");

        var seen = Collect(factory.Meter!);

        Assert.Equal(metrics.ConsumedPerTopic["streams.pegel"], seen[("streams.readings.consumed", "topic=streams.pegel")]);
        Assert.Equal(2, seen[("streams.readings.consumed", "topic=streams.pegel")]);
        Assert.Equal(1, seen[("streams.readings.consumed", "topic=streams.bus")]);
        Assert.Equal(metrics.DeadLetters, seen[("streams.deadletters", "reason=not-json")]);
        Assert.Equal(metrics.Applied, seen[("streams.readings.acknowledged", "outcome=applied")]);
        Assert.Equal(metrics.Duplicates, seen[("streams.readings.acknowledged", "outcome=duplicate")]);
        Assert.Equal(1, seen[("streams.alerts.published", "rule=pegel.stage1,state=raised")]);
    }

    [Fact]
    public void Processing_latency_is_recorded_from_the_record_timestamp()
    {
        using var factory = new OneMeterFactory();
        var metrics = new PipelineMetrics(factory);
        var latencies = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter == factory.Meter && i.Name == "streams.processing.latency") l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => latencies.Add(value));
        listener.Start();

        metrics.Acknowledged(true, 0, DateTime.UtcNow - TimeSpan.FromSeconds(3));

        var latency = Assert.Single(latencies);
        Assert.InRange(latency, 3, 60);
        Assert.Equal(1, metrics.Applied);
    }

    private static Dictionary<(string, string), long> Collect(Meter meter)
    {
        var seen = new Dictionary<(string, string), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter == meter) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) =>
            seen[(i.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    private sealed class OneMeterFactory : IMeterFactory
    {
        public Meter? Meter { get; private set; }

        public Meter Create(MeterOptions options) => Meter = new Meter(options);

        public void Dispose() => Meter?.Dispose();
    }
}
