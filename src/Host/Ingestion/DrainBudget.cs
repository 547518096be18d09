namespace Streams.Host.Ingestion;

/// <summary>
/// One budget for the whole drain on shutdown, split into phases that run one after the other: in-flight readings
/// finish (their alerts written, their offsets committed), the final commit may be retried, then the publisher
/// writes what is still queued (aggregates). The CoordinatedShutdown phase that runs the drain is given the total
/// plus a margin, so Akka never cuts it short, whoever starts the shutdown.
/// </summary>
public sealed record DrainBudget(TimeSpan Total, TimeSpan Readings, TimeSpan FinalCommit, TimeSpan Publisher)
{
    /// <summary>The consumer's close and group leave, after its drain and final commit.</summary>
    public static readonly TimeSpan ConsumerClose = TimeSpan.FromSeconds(3);

    /// <summary>Above the total in the phase timeout: closes, and the registry stream's stop.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    /// <summary>60 % for in-flight readings, 20 % for the final commit, 20 % for the publisher.</summary>
    public static DrainBudget Of(TimeSpan total) =>
        new(total, total * 0.6, total * 0.2, total * 0.2);

    /// <summary>The timeout of the CoordinatedShutdown phase that runs the drain.</summary>
    public TimeSpan PhaseTimeout => Total + Margin;
}
