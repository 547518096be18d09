using Streams.Actors.Entities;
using Streams.Contracts;

namespace Streams.Actors.Aggregates;

/// <summary>A sensor that reported to its municipality.</summary>
/// <remarks>It carries its place in the municipality's <see cref="DueIndex{T}"/>.</remarks>
public sealed class MunicipalityMember(SubjectKind kind, string id, string key) : DueItem(key)
{
    public SubjectKind Kind { get; } = kind;
    public string Id { get; } = id;

    /// <summary>The latest summary; null after a restart until the sensor reports (known from the journal only).</summary>
    public SensorSummary? Summary { get; internal set; }

    public bool ReportedSinceRecovery { get; set; }
}
