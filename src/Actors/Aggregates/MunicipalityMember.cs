using Streams.Contracts;

namespace Streams.Actors.Aggregates;

/// <summary>A sensor that reported to its municipality.</summary>
public sealed class MunicipalityMember(SubjectKind kind, string id, string key)
{
    public SubjectKind Kind { get; } = kind;
    public string Id { get; } = id;
    public string Key { get; } = key;

    /// <summary>The latest summary; null after a restart until the sensor reports (known from the journal only).</summary>
    public SensorSummary? Summary { get; internal set; }

    public bool ReportedSinceRecovery { get; set; }
}
