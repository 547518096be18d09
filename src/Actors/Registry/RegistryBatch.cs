using System.Collections.Immutable;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// Changes to a <see cref="RegistryView"/> that become visible when <see cref="RegistryView.Publish"/> is called. The
/// municipality indexes collect in builders that mutate in place between publications, so the registry's first read
/// (a million entries) costs a fraction of a million immutable inserts. One writer; a batch may be published again and again.
/// </summary>
public sealed class RegistryBatch
{
    private readonly RegistryView _view;
    private Dictionary<(SubjectKind Kind, string Id), RegistryEntry?> _entries = [];
    private readonly ImmutableDictionary<string, ImmutableHashSet<(SubjectKind Kind, string Id)>>.Builder _byMunicipality;
    private readonly Dictionary<string, ImmutableHashSet<(SubjectKind Kind, string Id)>.Builder> _touchedSets = new(StringComparer.Ordinal);
    private readonly ImmutableDictionary<string, MunicipalityEntry>.Builder _municipalities;
    private List<RegistryChange> _changes = [];

    internal RegistryBatch(RegistryView view, long version, RegistryIndex index)
    {
        _view = view;
        Version = version;
        _byMunicipality = index.ByMunicipality.ToBuilder();
        _municipalities = index.Municipalities.ToBuilder();
    }

    /// <summary>The view's publication these changes apply to: publishing over a later one would lose its changes.</summary>
    internal long Version { get; private set; }

    /// <summary>Changes not published yet.</summary>
    public int Pending => _changes.Count;

    public void Upsert(RegistryEntry entry)
    {
        var key = (entry.Kind, entry.Id);
        var previous = Current(key);
        if (Equals(previous, entry)) return;
        _entries[key] = entry;
        if (previous is SensorEntry old) SetOf(old.Municipality).Remove(key);
        if (entry is SensorEntry sensor) SetOf(sensor.Municipality).Add(key);
        if (entry is MunicipalityEntry municipality) _municipalities[municipality.Id] = municipality;
        _changes.Add(new RegistryChange(entry.Kind, entry.Id, entry, previous));
    }

    public void Remove(SubjectKind kind, string id)
    {
        var key = (kind, id);
        if (Current(key) is not { } previous) return;
        _entries[key] = null;
        if (previous is SensorEntry old) SetOf(old.Municipality).Remove(key);
        if (previous is MunicipalityEntry) _municipalities.Remove(id);
        _changes.Add(new RegistryChange(kind, id, null, previous));
    }

    /// <summary>The entries changed since the last publication (null: removed).</summary>
    internal IReadOnlyDictionary<(SubjectKind Kind, string Id), RegistryEntry?> StagedEntries => _entries;

    /// <summary>Freezes the index builders into the next published index.</summary>
    internal RegistryIndex FreezeIndex()
    {
        foreach (var (municipality, set) in _touchedSets)
        {
            if (set.Count == 0) _byMunicipality.Remove(municipality);
            else _byMunicipality[municipality] = set.ToImmutable();
        }
        _touchedSets.Clear();
        return new RegistryIndex(_byMunicipality.ToImmutable(), _municipalities.ToImmutable());
    }

    /// <summary>After a publication: forgets the staged entries and hands over the changes.</summary>
    internal List<RegistryChange> Published(long version)
    {
        Version = version;
        // After the first read's large publications, do not keep their capacity for the small ones that follow.
        if (_entries.Count > 4096) _entries = [];
        else _entries.Clear();
        var changes = _changes;
        _changes = [];
        return changes;
    }

    private RegistryEntry? Current((SubjectKind Kind, string Id) key) =>
        _entries.TryGetValue(key, out var staged) ? staged : _view.Find(key.Kind, key.Id);

    private ImmutableHashSet<(SubjectKind Kind, string Id)>.Builder SetOf(string municipality)
    {
        if (_touchedSets.TryGetValue(municipality, out var set)) return set;
        set = (_byMunicipality.GetValueOrDefault(municipality) ?? ImmutableHashSet<(SubjectKind, string)>.Empty).ToBuilder();
        _touchedSets[municipality] = set;
        return set;
    }
}
