using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Host.Http;

/// <summary>
/// Asks the entities for their live state through sharding, but only for subjects the registry knows: a message to a
/// shard region starts the entity it names, so an unknown id must never reach one (anyone who can reach the API
/// could otherwise grow the node's memory without bound). Unregistered vehicles are found through the registered
/// municipalities that count them.
/// </summary>
public sealed class LiveQueries(RegistryView registry, EntityContext ctx)
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A municipality is known when it has a registry entry or registered sensors name it.</summary>
    public bool IsKnownMunicipality(string id) =>
        registry.Find(SubjectKind.Municipality, id) is not null || registry.SensorsOf(id).Any();

    /// <summary>Every known municipality: registry entries and the ones registered sensors name.</summary>
    public IReadOnlyList<string> KnownMunicipalities() =>
        registry.Municipalities.Select(m => m.Id)
            .Concat(registry.All.OfType<SensorEntry>().Select(s => s.Municipality))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Null when the municipality is unknown (nothing is asked).</summary>
    public async Task<MunicipalitySubjects?> Municipality(string id, CancellationToken ct = default) =>
        IsKnownMunicipality(id)
            ? await ctx.Regions.Municipalities.Ask<MunicipalitySubjects>(new GetMunicipalitySubjects(id), AskTimeout, ct).ConfigureAwait(false)
            : null;

    /// <summary>
    /// Null when no registry entry names the sensor and (for buses) no registered municipality counts it.
    /// </summary>
    public async Task<SensorDetail?> Sensor(SubjectKind kind, string id, CancellationToken ct = default)
    {
        if (registry.Find<SensorEntry>(kind, id) is null && !(kind == SubjectKind.Bus && await IsCountedSomewhere(kind, id, ct).ConfigureAwait(false)))
            return null;
        return await AskSensor(kind, id, ct).ConfigureAwait(false);
    }

    /// <summary>For subjects a municipality just reported: they are known, so asking cannot create a stranger.</summary>
    public Task<SensorDetail> AskSensor(SubjectKind kind, string id, CancellationToken ct = default) =>
        ctx.Regions.Sensors(kind).Ask<SensorDetail>(new GetSensorDetail(id), AskTimeout, ct);

    private async Task<bool> IsCountedSomewhere(SubjectKind kind, string id, CancellationToken ct)
    {
        var municipalities = await Task.WhenAll(KnownMunicipalities().Select(m => Municipality(m, ct))).ConfigureAwait(false);
        return municipalities.Any(m => m is not null && m.Subjects.Any(s => s.Kind == kind && s.SensorId == id));
    }
}
