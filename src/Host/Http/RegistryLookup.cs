using System.Text.Json;
using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Host.Http;

/// <summary>Descriptive registry data the read API adds to live state: names, boundaries, whether a subject is registered.</summary>
public sealed class RegistryLookup(RegistryView registry)
{
    public string? NameOf(string municipality) => registry.Find<MunicipalityEntry>(SubjectKind.Municipality, municipality)?.Name;

    public bool IsRegistered(string subject)
    {
        var slash = subject.IndexOf('/');
        return slash > 0 && SubjectKinds.TryParse(subject[..slash], out var kind) && registry.Find(kind, subject[(slash + 1)..]) is not null;
    }

    /// <summary>A GeoJSON Feature with the registry's boundary (null geometry when the entry has none).</summary>
    public object BoundaryFeature(string municipality)
    {
        var entry = registry.Find<MunicipalityEntry>(SubjectKind.Municipality, municipality);
        return new
        {
            type = "Feature",
            properties = new { id = municipality, name = entry?.Name },
            geometry = entry?.Boundary is { } b ? b : (JsonElement?)null,
        };
    }
}
