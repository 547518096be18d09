using HdrHistogram;

namespace Streams.Bench.Report;

/// <summary>
/// A latency distribution in milliseconds (HdrHistogram, 3 significant digits, up to one hour), thread-safe. Each
/// sample keeps its write time, so that the distribution can also be given without a warm-up at the start of the run.
/// </summary>
public sealed class Latency
{
    private readonly LongHistogram _histogram = new(3_600_000, 3);
    private readonly List<(long WrittenAtMs, long Milliseconds)> _samples = [];
    private readonly object _gate = new();

    public void Record(long writtenAtMs, long milliseconds)
    {
        var value = Math.Clamp(milliseconds, 0, 3_600_000);
        lock (_gate)
        {
            _histogram.RecordValue(value);
            _samples.Add((writtenAtMs, value));
        }
    }

    public long Count
    {
        get
        {
            lock (_gate) return _histogram.TotalCount;
        }
    }

    /// <summary>
    /// p50, p99, max and the number of samples, as figures named <paramref name="prefix"/>_p50_ms etc.; with
    /// <paramref name="steadyFromMs"/>, the same again as <paramref name="prefix"/>_steady_… over the samples written
    /// from then on.
    /// </summary>
    public void AddTo(Figures figures, string prefix, long? steadyFromMs = null)
    {
        lock (_gate)
        {
            Add(figures, prefix, _histogram);
            if (steadyFromMs is not { } from) return;
            var steady = new LongHistogram(3_600_000, 3);
            foreach (var (writtenAt, value) in _samples)
            {
                if (writtenAt >= from) steady.RecordValue(value);
            }
            Add(figures, prefix + "_steady", steady);
        }
    }

    private static void Add(Figures figures, string prefix, LongHistogram histogram)
    {
        figures.Add($"{prefix}_samples", histogram.TotalCount, "");
        if (histogram.TotalCount == 0) return;
        figures.Add($"{prefix}_p50_ms", histogram.GetValueAtPercentile(50), "ms");
        figures.Add($"{prefix}_p99_ms", histogram.GetValueAtPercentile(99), "ms");
        figures.Add($"{prefix}_max_ms", histogram.GetMaxValue(), "ms");
    }
}
