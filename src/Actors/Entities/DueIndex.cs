namespace Streams.Actors.Entities;

/// <summary>
/// Something a <see cref="DueIndex{T}"/> orders by the wall-clock time it is due. It carries its own due time, so the
/// index needs no map from key to time: setting a member's due time at every reading is a field write, not a lookup.
/// An item belongs to at most one index.
/// </summary>
public abstract class DueItem(string key)
{
    /// <summary>Unique within its index; orders items due at the same time.</summary>
    public string Key { get; } = key;

    /// <summary>When it is really due; null while it is not in an index.</summary>
    internal DateTimeOffset? DueAt { get; set; }

    /// <summary>Its place in the index's order, never after <see cref="DueAt"/>. Changed only while it is out of the order.</summary>
    internal DateTimeOffset QueuedAt { get; set; }
}

/// <summary>
/// Items by the wall-clock time something is due for them (a sensor's staleness check, an unregistered vehicle's
/// retention), earliest first: a municipality wakes only the sensors that are due instead of all of them.
/// </summary>
/// <remarks>
/// Every reading moves its sensor's due time later. A later time only updates the item's due time; its place in the
/// order stays where it was, and moves when it reaches the front. A sensor that reports every minute with a staleness
/// of an hour is re-sorted once an hour instead of at every reading (before, every reading removed and added a node of
/// the sorted set, which lived until the sensor's next reading and so outlived the youngest generation). So the index
/// answers when to look next (<see cref="NextCheck"/>), which may be earlier than anything is due: a look then finds
/// nothing due and moves the postponed items it passes. The front is kept, so asking after each reading costs no walk
/// of the tree.
/// </remarks>
public sealed class DueIndex<T> where T : DueItem
{
    private readonly SortedSet<T> _order = new(QueuedThenKey.Instance);
    private T? _front;

    public int Count => _order.Count;

    /// <summary>
    /// When to look for due items next: no later than the earliest due time, and null only when the index is empty.
    /// Items postponed since they were placed make it earlier; a look at that time moves them to their place.
    /// </summary>
    public DateTimeOffset? NextCheck => Front()?.QueuedAt;

    /// <summary>Sets (or, with null, removes) the due time of <paramref name="item"/>.</summary>
    public void Set(T item, DateTimeOffset? due)
    {
        if (item.DueAt is { } old)
        {
            if (due == old) return;
            if (due is { } later && later >= item.QueuedAt)
            {
                item.DueAt = later;
                return;
            }
            Unqueue(item);
            item.DueAt = null;
        }
        if (due is not { } d) return;
        item.DueAt = d;
        Enqueue(item, d);
    }

    /// <summary>The earliest item due at or before <paramref name="now"/>, left in the index; null if none is due.</summary>
    public T? PeekDue(DateTimeOffset now)
    {
        while (Front() is { } front && front.QueuedAt <= now)
        {
            var due = front.DueAt!.Value;
            if (due == front.QueuedAt) return front;
            Unqueue(front);
            Enqueue(front, due);
        }
        return null;
    }

    /// <summary>Removes and returns every item due at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<T> TakeDue(DateTimeOffset now)
    {
        var due = new List<T>();
        while (PeekDue(now) is { } front)
        {
            Unqueue(front);
            front.DueAt = null;
            due.Add(front);
        }
        return due;
    }

    /// <summary>The first item in the order (it may have been postponed since it was placed).</summary>
    private T? Front() => _front ??= _order.Count > 0 ? _order.Min : null;

    private void Enqueue(T item, DateTimeOffset at)
    {
        item.QueuedAt = at;
        _order.Add(item);
        if (_front is not null && QueuedThenKey.Instance.Compare(item, _front) < 0) _front = item;
    }

    private void Unqueue(T item)
    {
        _order.Remove(item);
        if (ReferenceEquals(item, _front)) _front = null;
    }

    private sealed class QueuedThenKey : IComparer<T>
    {
        public static readonly QueuedThenKey Instance = new();

        public int Compare(T? x, T? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            var byTime = x!.QueuedAt.CompareTo(y!.QueuedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
