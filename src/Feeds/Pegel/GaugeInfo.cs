using Streams.Contracts.Registry;
using Streams.Feeds.Model;

namespace Streams.Feeds.Pegel;

/// <summary>What a source says about a gauge, and how that becomes a <c>pegel</c> registry entry.</summary>
public sealed record GaugeInfo(
    string Id,
    string? Number,
    string? Name,
    string? Water,
    double? Lat,
    double? Lon,
    int ExpectedIntervalSeconds,
    IReadOnlyDictionary<string, double>? CharacteristicValues = null)
{
    /// <summary>
    /// Adds the gauge's registry entry: stages from the stage table, else (only when asked) from the named
    /// characteristic values; municipality from the override or the boundaries. Reports why when it cannot.
    /// </summary>
    public void Register(FeedBatch batch, ImportOptions options, string source, string position)
    {
        if (!batch.FirstAttempt(Contracts.SubjectKind.Pegel, Id)) return;
        var stages = options.Stages?.Find(Id, Number, Name);
        var stagesCm = stages?.StagesCm ?? FallbackStages(options.StageFallback);
        if (stagesCm is null || stagesCm.Count == 0)
        {
            var fallback = options.StageFallback.Count == 0
                ? "no --stages-fallback given"
                : $"it has none of the characteristic values {string.Join(", ", options.StageFallback)}";
            batch.Reject(source, position, $"gauge {Id} ({Name}): no warning stages: not in the stages file and {fallback}");
            return;
        }
        if (options.MunicipalityFor(Lat, Lon) is not { } municipality)
        {
            batch.Reject(source, position, $"gauge {Id} ({Name}): {ImportOptions.NoMunicipality}");
            return;
        }
        batch.AddRegistry(new PegelEntry(Id, municipality, Name, Water, Lat, Lon, stagesCm,
            stages?.HysteresisCm ?? PegelEntry.DefaultHysteresisCm, RiseCmPerHour: null, ExpectedIntervalSeconds), source, position);
    }

    private List<double>? FallbackStages(IReadOnlyList<string> names)
    {
        if (names.Count == 0 || CharacteristicValues is null) return null;
        var values = names.Select(n => CharacteristicValues.TryGetValue(n, out var v) ? v : (double?)null).OfType<double>();
        return values.Distinct().Order().ToList();
    }
}
