using System.Collections.Immutable;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// This node's copy of the compacted registry topic. Every node reads the whole registry (it is small), so
/// validation and entities look entries up locally. Readers see an immutable snapshot; one writer applies changes.
/// </summary>
public sealed class RegistryView
{
    private ImmutableDictionary<(SubjectKind Kind, string Id), RegistryEntry> _entries =
        ImmutableDictionary<(SubjectKind, string), RegistryEntry>.Empty;
    // Sensors by municipality, so an aggregate need not scan the whole registry.
    private ImmutableDictionary<string, ImmutableHashSet<(SubjectKind Kind, string Id)>> _byMunicipality =
        ImmutableDictionary<string, ImmutableHashSet<(SubjectKind, string)>>.Empty;
    private ImmutableDictionary<string, MunicipalityEntry> _municipalities = ImmutableDictionary<string, MunicipalityEntry>.Empty;
    private readonly object _write = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after an entry is added, changed (new value) or removed (<c>Removed</c> set).</summary>
    public event Action<RegistryChange>? Changed;

    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>How far the view is known complete (readings of a subject registered moments ago wait for it).</summary>
    public RegistryCurrency Currency { get; } = new(TimeProvider.System);

    /// <summary>Completes once the registry topic has been read to its end at start.</summary>
    public Task Loaded => _loaded.Task;

    public int Count => _entries.Count;

    public RegistryEntry? Find(SubjectKind kind, string id) => _entries.GetValueOrDefault((kind, id));

    public T? Find<T>(SubjectKind kind, string id) where T : RegistryEntry => Find(kind, id) as T;

    public IEnumerable<RegistryEntry> All => _entries.Values;

    public IEnumerable<SensorEntry> SensorsOf(string municipality)
    {
        var entries = _entries;
        if (!_byMunicipality.TryGetValue(municipality, out var keys)) yield break;
        foreach (var key in keys)
            if (entries.GetValueOrDefault(key) is SensorEntry sensor && sensor.Municipality == municipality) yield return sensor;
    }

    /// <summary>The registered sensors of <paramref name="municipality"/> as (kind, id), without materializing entries.</summary>
    public IReadOnlySet<(SubjectKind Kind, string Id)> SensorKeysOf(string municipality) =>
        _byMunicipality.GetValueOrDefault(municipality) ?? ImmutableHashSet<(SubjectKind, string)>.Empty;

    public IEnumerable<MunicipalityEntry> Municipalities => _municipalities.Values;

    /// <summary>Every municipality id that is registered or that a registered sensor names (without a registry scan).</summary>
    public IReadOnlyCollection<string> MunicipalityIds() => _municipalities.Keys.Union(_byMunicipality.Keys).ToList();

    public void Upsert(RegistryEntry entry)
    {
        var key = (entry.Kind, entry.Id);
        var previous = _entries.GetValueOrDefault(key);
        if (Equals(previous, entry)) return;
        lock (_write)
        {
            _entries = _entries.SetItem(key, entry);
            if (previous is SensorEntry old) Unindex(old);
            if (entry is SensorEntry sensor) Index(sensor);
            if (entry is MunicipalityEntry municipality) _municipalities = _municipalities.SetItem(municipality.Id, municipality);
        }
        Changed?.Invoke(new RegistryChange(entry.Kind, entry.Id, entry, previous));
    }

    public void Remove(SubjectKind kind, string id)
    {
        RegistryEntry? previous;
        lock (_write)
        {
            if (!_entries.TryGetValue((kind, id), out previous)) return;
            _entries = _entries.Remove((kind, id));
            if (previous is SensorEntry old) Unindex(old);
            if (previous is MunicipalityEntry) _municipalities = _municipalities.Remove(id);
        }
        Changed?.Invoke(new RegistryChange(kind, id, null, previous));
    }

    private void Index(SensorEntry sensor)
    {
        var set = _byMunicipality.GetValueOrDefault(sensor.Municipality) ?? ImmutableHashSet<(SubjectKind, string)>.Empty;
        _byMunicipality = _byMunicipality.SetItem(sensor.Municipality, set.Add((sensor.Kind, sensor.Id)));
    }

    private void Unindex(SensorEntry sensor)
    {
        if (!_byMunicipality.TryGetValue(sensor.Municipality, out var set)) return;
        set = set.Remove((sensor.Kind, sensor.Id));
        _byMunicipality = set.IsEmpty ? _byMunicipality.Remove(sensor.Municipality) : _byMunicipality.SetItem(sensor.Municipality, set);
    }

    public void MarkLoaded() => _loaded.TrySetResult();
}

public sealed record RegistryChange(SubjectKind Kind, string Id, RegistryEntry? Current, RegistryEntry? Previous)
{
    public bool Removed => Current is null;
}
