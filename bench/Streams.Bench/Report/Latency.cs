using HdrHistogram;

namespace Streams.Bench.Report;

/// <summary>A latency distribution in milliseconds (HdrHistogram, 3 significant digits, up to one hour), thread-safe.</summary>
public sealed class Latency
{
    private readonly LongHistogram _histogram = new(3_600_000, 3);
    private readonly object _gate = new();

    public void Record(long milliseconds)
    {
        lock (_gate) _histogram.RecordValue(Math.Clamp(milliseconds, 0, 3_600_000));
    }

    public long Count
    {
        get
        {
            lock (_gate) return _histogram.TotalCount;
        }
    }

    /// <summary>p50, p99, max and the number of samples, as figures named <paramref name="prefix"/>_p50_ms etc.</summary>
    public void AddTo(Figures figures, string prefix)
    {
        lock (_gate)
        {
            figures.Add($"{prefix}_samples", _histogram.TotalCount, "");
            if (_histogram.TotalCount == 0) return;
            figures.Add($"{prefix}_p50_ms", _histogram.GetValueAtPercentile(50), "ms");
            figures.Add($"{prefix}_p99_ms", _histogram.GetValueAtPercentile(99), "ms");
            figures.Add($"{prefix}_max_ms", _histogram.GetMaxValue(), "ms");
        }
    }
}
