namespace Streams.Actors.Entities;

/// <summary>
/// The node's live sensors, least recently used first, up to a limit: when one more starts, the least recently used
/// one is handed back to be passivated. Idle passivation alone bounds memory by the sensors heard from within its
/// timeout, which at a city's size can be every sensor; this bounds it by configuration. Shared by all entities of a
/// node (thread-safe); every operation is O(1).
/// </summary>
public sealed class LiveSensorLimit<T>(int limit) where T : class
{
    private readonly LinkedList<T> _byUse = new();
    private readonly object _gate = new();
    private long _evicted;

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be positive");

    public int Count
    {
        get
        {
            lock (_gate) return _byUse.Count;
        }
    }

    /// <summary>Sensors handed back for passivation so far.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Adds a started sensor as the most recently used. Returns its handle and the least recently used sensor to
    /// passivate when the limit is exceeded (no longer tracked from here on), else null.
    /// </summary>
    public (LinkedListNode<T> Handle, T? Evict) Started(T sensor)
    {
        var handle = new LinkedListNode<T>(sensor);
        lock (_gate)
        {
            _byUse.AddLast(handle);
            if (_byUse.Count <= Limit) return (handle, null);
            var oldest = _byUse.First!;
            _byUse.RemoveFirst();
            _evicted++;
            return (handle, oldest.Value);
        }
    }

    /// <summary>Marks a sensor as just used (a no-op once it was evicted or stopped).</summary>
    public void Used(LinkedListNode<T> handle)
    {
        lock (_gate)
        {
            if (handle.List is null || handle.Next is null) return;
            _byUse.Remove(handle);
            _byUse.AddLast(handle);
        }
    }

    public void Stopped(LinkedListNode<T> handle)
    {
        lock (_gate)
        {
            if (handle.List is not null) _byUse.Remove(handle);
        }
    }
}
