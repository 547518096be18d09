using System.Collections.Concurrent;
using System.Collections.Immutable;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// This node's copy of the compacted registry topic. Every node reads the whole registry, so validation and entities
/// look entries up locally: a hash lookup per reading, whatever the registry's size. One writer applies changes, one
/// at a time (<see cref="Upsert"/>, <see cref="Remove"/>) or many at once (<see cref="Batch"/>, <see cref="Publish"/>);
/// readers see each entry as of its last publication, and immutable snapshots of the municipality indexes.
/// </summary>
public sealed class RegistryView
{
    private readonly ConcurrentDictionary<(SubjectKind Kind, string Id), RegistryEntry> _entries = new();
    private volatile RegistryIndex _index = RegistryIndex.Empty;
    private int _count;
    private long _version;
    private readonly object _write = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after a change is visible: an entry added, changed (new value) or removed (<c>Removed</c> set).</summary>
    public event Action<RegistryChange>? Changed;

    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>How far the view is known complete (readings of a subject registered moments ago wait for it).</summary>
    public RegistryCurrency Currency { get; } = new(TimeProvider.System);

    /// <summary>Completes once the registry topic has been read to its end at start.</summary>
    public Task Loaded => _loaded.Task;

    public int Count => Volatile.Read(ref _count);

    public RegistryEntry? Find(SubjectKind kind, string id) => _entries.GetValueOrDefault((kind, id));

    public T? Find<T>(SubjectKind kind, string id) where T : RegistryEntry => Find(kind, id) as T;

    public IEnumerable<RegistryEntry> All => _entries.Select(e => e.Value);

    public IEnumerable<SensorEntry> SensorsOf(string municipality)
    {
        if (!_index.ByMunicipality.TryGetValue(municipality, out var keys)) yield break;
        foreach (var key in keys)
            if (Find(key.Kind, key.Id) is SensorEntry sensor && sensor.Municipality == municipality) yield return sensor;
    }

    /// <summary>The registered sensors of <paramref name="municipality"/> as (kind, id), without materializing entries.</summary>
    public IReadOnlySet<(SubjectKind Kind, string Id)> SensorKeysOf(string municipality) =>
        _index.ByMunicipality.GetValueOrDefault(municipality) ?? ImmutableHashSet<(SubjectKind, string)>.Empty;

    /// <summary>The municipality entries; a new instance after every change to them (callers may cache by reference).</summary>
    public IReadOnlyDictionary<string, MunicipalityEntry> MunicipalityEntries => _index.Municipalities;

    public IEnumerable<MunicipalityEntry> Municipalities => _index.Municipalities.Values;

    /// <summary>Every municipality id that is registered or that a registered sensor names (without a registry scan).</summary>
    public IReadOnlyCollection<string> MunicipalityIds()
    {
        var index = _index;
        return index.Municipalities.Keys.Union(index.ByMunicipality.Keys).ToList();
    }

    public void Upsert(RegistryEntry entry)
    {
        if (Equals(Find(entry.Kind, entry.Id), entry)) return;
        var batch = Batch();
        batch.Upsert(entry);
        Publish(batch);
    }

    public void Remove(SubjectKind kind, string id)
    {
        if (Find(kind, id) is null) return;
        var batch = Batch();
        batch.Remove(kind, id);
        Publish(batch);
    }

    /// <summary>Changes that become visible when published (the registry's first read at start publishes rarely).</summary>
    public RegistryBatch Batch()
    {
        lock (_write) return new RegistryBatch(this, _version, _index);
    }

    /// <summary>Makes the batch's changes visible, then raises <see cref="Changed"/> for each, in order.</summary>
    public void Publish(RegistryBatch batch)
    {
        if (batch.Pending == 0) return;
        List<RegistryChange> changes;
        lock (_write)
        {
            if (batch.Version != _version)
                throw new InvalidOperationException("The registry view changed after this batch was taken; publishing it would undo that change.");
            foreach (var (key, entry) in batch.StagedEntries)
            {
                if (entry is null)
                {
                    if (_entries.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
                }
                else if (_entries.TryAdd(key, entry)) Interlocked.Increment(ref _count);
                else _entries[key] = entry;
            }
            _index = batch.FreezeIndex();
            changes = batch.Published(++_version);
        }
        if (Changed is { } changed)
            foreach (var change in changes) changed(change);
    }

    public void MarkLoaded() => _loaded.TrySetResult();
}

public sealed record RegistryChange(SubjectKind Kind, string Id, RegistryEntry? Current, RegistryEntry? Previous)
{
    public bool Removed => Current is null;
}
