using Streams.Feeds;

namespace Streams.Host.Cli;

/// <summary>What `streams replay` was asked to do, parsed from its command line.</summary>
internal sealed record ReplaySettings
{
    public required string Format { get; init; }
    public required IReadOnlyList<string> Paths { get; init; }
    public FeedFormats.Inputs Inputs { get; init; } = new();

    /// <summary>Event time advances this many times faster than wall time; null = as fast as possible.</summary>
    public double? Speed { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Kafka { get; init; }
    public string NodeUrl { get; init; } = "http://127.0.0.1:5080";
    public bool RegistryOnly { get; init; }
    public bool DryRun { get; init; }
    public bool Report { get; init; }

    /// <summary>With --report: how long the alerts topic must stay quiet before the report is printed.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(15);

    public bool Progress { get; init; } = true;
}
