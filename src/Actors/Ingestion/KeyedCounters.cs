using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Streams.Actors.Ingestion;

/// <summary>
/// Counters by key, counted from many threads. A key's counter is created once and then incremented without a lock
/// (<c>ConcurrentDictionary.AddOrUpdate</c> takes a bucket lock on every update, and every consumed record counts).
/// </summary>
public sealed class KeyedCounters<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, StrongBox<long>> _counts;

    public KeyedCounters(IEqualityComparer<TKey>? comparer = null) => _counts = new(comparer);

    public void Increment(TKey key) => Interlocked.Increment(ref _counts.GetOrAdd(key, static _ => new StrongBox<long>()).Value);

    public IEnumerable<KeyValuePair<TKey, long>> Snapshot() =>
        _counts.Select(kv => new KeyValuePair<TKey, long>(kv.Key, Interlocked.Read(ref kv.Value.Value)));

    public long Total => _counts.Values.Sum(box => Interlocked.Read(ref box.Value));
}
