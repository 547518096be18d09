namespace Streams.Actors.Entities;

/// <summary>
/// The node's live sensors, least recently used first, up to a limit: when one more starts, the least recently used
/// one is handed back to be passivated. Idle passivation alone bounds memory by the sensors heard from within its
/// timeout, which at a city's size can be every sensor; this bounds it by configuration. Shared by all entities of a
/// node (thread-safe); every operation is O(1).
/// </summary>
/// <remarks>
/// The order is approximate in the newer half: a sensor moved to the newest end (started or used) is not moved again
/// while fewer than half the limit of other sensors were started or moved after it. It cannot be the oldest then, so
/// nothing is evicted out of turn; a sensor is never handed back before at least half the limit of other sensors were
/// started or used after its own last start or use. This keeps the shared lock off the path of almost every command:
/// with fewer live sensors than half the limit, a command never takes it.
/// </remarks>
public sealed class LiveSensorLimit<T>(int limit) where T : class
{
    private readonly LinkedList<Handle> _byUse = new();
    private readonly object _gate = new();
    private long _moves;
    private long _evicted;

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be positive");

    /// <summary>A live sensor's place in the order; what <see cref="Used"/> and <see cref="Stopped"/> take.</summary>
    public sealed class Handle
    {
        internal Handle(T sensor)
        {
            Sensor = sensor;
            Node = new LinkedListNode<Handle>(this);
        }

        internal T Sensor { get; }

        internal LinkedListNode<Handle> Node { get; }

        /// <summary>The node's move count when this sensor was last put at the newest end.</summary>
        internal long MovedAt;
    }

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
    public (Handle Handle, T? Evict) Started(T sensor)
    {
        var handle = new Handle(sensor);
        lock (_gate)
        {
            handle.MovedAt = ++_moves;
            _byUse.AddLast(handle.Node);
            if (_byUse.Count <= Limit) return (handle, null);
            var oldest = _byUse.First!;
            _byUse.RemoveFirst();
            _evicted++;
            return (handle, oldest.Value.Sensor);
        }
    }

    /// <summary>Marks a sensor as just used (a no-op once it was evicted or stopped, or while it is in the newer half).</summary>
    public void Used(Handle handle)
    {
        if (Volatile.Read(ref _moves) - Volatile.Read(ref handle.MovedAt) < Limit / 2) return;
        lock (_gate)
        {
            var node = handle.Node;
            if (node.List is null || node.Next is null) return;
            _byUse.Remove(node);
            _byUse.AddLast(node);
            handle.MovedAt = ++_moves;
        }
    }

    public void Stopped(Handle handle)
    {
        lock (_gate)
        {
            if (handle.Node.List is not null) _byUse.Remove(handle.Node);
        }
    }
}
