using System.Collections.Immutable;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>The registry view's indexes as published together: sensors by municipality, municipality entries.</summary>
internal sealed record RegistryIndex(
    ImmutableDictionary<string, ImmutableHashSet<(SubjectKind Kind, string Id)>> ByMunicipality,
    ImmutableDictionary<string, MunicipalityEntry> Municipalities)
{
    public static readonly RegistryIndex Empty = new(
        ImmutableDictionary<string, ImmutableHashSet<(SubjectKind, string)>>.Empty,
        ImmutableDictionary<string, MunicipalityEntry>.Empty);
}
