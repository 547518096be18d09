namespace Streams.Actors.Rules;

/// <summary>One raised or cleared transition of one (subject, rule), as the rules decided it.</summary>
public sealed record AlertTransition(
    string Rule,
    string State,
    string Severity,
    double Value,
    double Threshold,
    DateTimeOffset Time,
    DateTimeOffset EpisodeStartedAt,
    string Message)
{
    public double? TrendCmPerHour { get; init; }
    public int? Stage { get; init; }
    public int? PreviousStage { get; init; }
}
