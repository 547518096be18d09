using Streams.Bench.Load;

namespace Streams.Bench.Scenarios;

/// <summary>What one pass of the pipeline against the bare loop writes and how.</summary>
public sealed record PassPlan
{
    public required string Label { get; init; }
    public required string RunDir { get; init; }
    public required SubjectCatalog Catalog { get; init; }
    public required long Readings { get; init; }

    /// <summary>All readings are in their topics before the host starts (a backlog); else written while it runs.</summary>
    public bool Prefill { get; init; }

    /// <summary>Readings per second of the writer; null: as fast as the lead allows.</summary>
    public double? Rate { get; init; }

    /// <summary>How far the writer may get ahead of the host's committed offsets.</summary>
    public long Lead { get; init; } = 50_000;

    /// <summary>
    /// Delete from the reading partitions what the host committed while it runs (<see cref="Kafka.CommittedTrim"/>); the
    /// bare loop then reads a copy of the same records written after the pass. False (<c>--keep-committed</c>): keep them
    /// and let the mock's fetches slow down as its logs grow, as every run did before.
    /// </summary>
    public bool TrimCommitted { get; init; } = true;

    public int AlertEvery { get; init; } = 20;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public IReadOnlyList<string> HostSettings { get; init; } = [];
    public bool MeasureLatency { get; init; }

    /// <summary>With <see cref="MeasureLatency"/>: readings written this long after the first are also counted apart, as the steady state.</summary>
    public TimeSpan LatencyWarmUp { get; init; } = TimeSpan.FromSeconds(DefaultLatencyWarmUpSeconds);

    public const double DefaultLatencyWarmUpSeconds = 5;
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(5);
}
