namespace Streams.Host.Composition;

/// <summary>
/// Lookups by key that reach the database together: one query runs at a time, and the keys asked for while it runs go
/// as the next one (at most <c>maxKeys</c> per query). A key asked for alone is looked up at once; under load, when
/// many entities start together, one round trip and one pooled connection answer dozens of them. Thread-safe.
/// </summary>
/// <remarks>
/// A key never joins a query that is already running: that query may have read before something the caller waited
/// for (a write of its own). A key asked for twice before its query starts gets the one answer.
/// </remarks>
public sealed class CombinedLookups<TKey, TValue> where TKey : notnull
{
    private readonly Func<IReadOnlyCollection<TKey>, Task<IReadOnlyDictionary<TKey, TValue>>> _lookup;
    private readonly TValue _absent;
    private readonly int _maxKeys;
    private readonly object _gate = new();
    private Dictionary<TKey, TaskCompletionSource<TValue>> _waiting;
    private bool _running;

    /// <param name="lookup">Answers for the keys it found; a key it did not return gets <paramref name="absent"/>.</param>
    public CombinedLookups(Func<IReadOnlyCollection<TKey>, Task<IReadOnlyDictionary<TKey, TValue>>> lookup, TValue absent,
        int maxKeys = 500, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _lookup = lookup;
        _absent = absent;
        _maxKeys = maxKeys;
        _waiting = new Dictionary<TKey, TaskCompletionSource<TValue>>(comparer);
    }

    public Task<TValue> Get(TKey key)
    {
        TaskCompletionSource<TValue> answer;
        lock (_gate)
        {
            if (_waiting.TryGetValue(key, out var asked)) return asked.Task;
            answer = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[key] = answer;
            if (_running) return answer.Task;
            _running = true;
        }
        _ = Run();
        return answer.Task;
    }

    private async Task Run()
    {
        while (Next() is { } batch)
        {
            try
            {
                var found = await _lookup(batch.Keys).ConfigureAwait(false);
                foreach (var (key, answer) in batch) answer.TrySetResult(found.TryGetValue(key, out var value) ? value : _absent);
            }
            catch (Exception e)
            {
                foreach (var answer in batch.Values) answer.TrySetException(e);
            }
        }
    }

    /// <summary>The keys for the next query, or null (and not running any more) when none are waiting.</summary>
    private Dictionary<TKey, TaskCompletionSource<TValue>>? Next()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _running = false;
                return null;
            }
            var comparer = _waiting.Comparer;
            if (_waiting.Count <= _maxKeys)
            {
                var all = _waiting;
                _waiting = new Dictionary<TKey, TaskCompletionSource<TValue>>(comparer);
                return all;
            }
            var batch = new Dictionary<TKey, TaskCompletionSource<TValue>>(_maxKeys, comparer);
            foreach (var (key, answer) in _waiting)
            {
                batch[key] = answer;
                if (batch.Count == _maxKeys) break;
            }
            foreach (var key in batch.Keys) _waiting.Remove(key);
            return batch;
        }
    }
}
