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
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after an entry is added, changed (new value) or removed (<c>Removed</c> set).</summary>
    public event Action<RegistryChange>? Changed;

    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Completes once the registry topic has been read to its end at start.</summary>
    public Task Loaded => _loaded.Task;

    public int Count => _entries.Count;

    public RegistryEntry? Find(SubjectKind kind, string id) => _entries.GetValueOrDefault((kind, id));

    public T? Find<T>(SubjectKind kind, string id) where T : RegistryEntry => Find(kind, id) as T;

    public IEnumerable<RegistryEntry> All => _entries.Values;

    public IEnumerable<SensorEntry> SensorsOf(string municipality) =>
        _entries.Values.OfType<SensorEntry>().Where(e => e.Municipality == municipality);

    public IEnumerable<MunicipalityEntry> Municipalities => _entries.Values.OfType<MunicipalityEntry>();

    public void Upsert(RegistryEntry entry)
    {
        var key = (entry.Kind, entry.Id);
        var previous = _entries.GetValueOrDefault(key);
        if (Equals(previous, entry)) return;
        ImmutableInterlocked.Update(ref _entries, d => d.SetItem(key, entry));
        Changed?.Invoke(new RegistryChange(entry.Kind, entry.Id, entry, previous));
    }

    public void Remove(SubjectKind kind, string id)
    {
        if (!ImmutableInterlocked.TryRemove(ref _entries, (kind, id), out var previous)) return;
        Changed?.Invoke(new RegistryChange(kind, id, null, previous));
    }

    public void MarkLoaded() => _loaded.TrySetResult();
}

public sealed record RegistryChange(SubjectKind Kind, string Id, RegistryEntry? Current, RegistryEntry? Previous)
{
    public bool Removed => Current is null;
}
