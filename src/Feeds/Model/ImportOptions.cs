using Streams.Feeds.Geo;
using Streams.Feeds.Pegel;

namespace Streams.Feeds.Model;

/// <summary>What importers need beyond the source files: where subjects belong and the gauges' warning stages.</summary>
public sealed record ImportOptions
{
    /// <summary>The AGS every imported subject belongs to; wins over <see cref="Boundaries"/>.</summary>
    public string? Municipality { get; init; }

    /// <summary>Places subjects with coordinates in the municipality whose boundary contains them.</summary>
    public MunicipalityBoundaries? Boundaries { get; init; }

    /// <summary>Per-station warning stages (Meldestufen); gauges have none in PEGELONLINE.</summary>
    public StageTable? Stages { get; init; }

    /// <summary>
    /// Characteristic values (e.g. <c>MHW</c>, <c>HHW</c>) to use as stages for a gauge that has no entry in
    /// <see cref="Stages"/>; empty (the default) means such a gauge gets no registry entry and is reported.
    /// </summary>
    public IReadOnlyList<string> StageFallback { get; init; } = [];

    /// <summary>The station a measurements file belongs to (PEGELONLINE's measurements carry no station id).</summary>
    public string? StationId { get; init; }

    /// <summary>The municipality for a subject: the override, else the boundary containing it, else null.</summary>
    public string? MunicipalityFor(double? lat, double? lon) =>
        Municipality ?? (lat is { } la && lon is { } lo ? Boundaries?.Locate(la, lo) : null);

    public const string NoMunicipality = "no municipality: pass --municipality or a --boundaries file whose areas contain the subject";
}
