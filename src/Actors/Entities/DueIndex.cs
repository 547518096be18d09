namespace Streams.Actors.Entities;

/// <summary>
/// Keys by the wall-clock time something is due for them (a sensor's staleness check, an unregistered vehicle's
/// retention), earliest first: a municipality wakes only the sensors that are due instead of all of them.
/// </summary>
/// <remarks>
/// Every reading moves its sensor's due time later. A later time only updates the key's due time; its place in the
/// order stays where it was, and moves when it reaches the front. A sensor that reports every minute with a staleness
/// of an hour is re-sorted once an hour instead of at every reading (before, every reading removed and added a node of
/// the sorted set, which lived until the sensor's next reading and so outlived the youngest generation).
/// </remarks>
public sealed class DueIndex
{
    // Queued <= Due always: the order holds each key at Queued; Due is when it is really due.
    private readonly SortedSet<(DateTimeOffset Queued, string Key)> _order = new();
    private readonly Dictionary<string, (DateTimeOffset Due, DateTimeOffset Queued)> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public DateTimeOffset? Earliest => Front() is { } front ? front.Queued : null;

    public DateTimeOffset? DueOf(string key) => _keys.TryGetValue(key, out var k) ? k.Due : null;

    /// <summary>Sets (or, with null, removes) the due time of <paramref name="key"/>.</summary>
    public void Set(string key, DateTimeOffset? due)
    {
        if (_keys.TryGetValue(key, out var old))
        {
            if (due == old.Due) return;
            if (due is { } later && later >= old.Queued)
            {
                _keys[key] = (later, old.Queued);
                return;
            }
            _order.Remove((old.Queued, key));
            _keys.Remove(key);
        }
        if (due is not { } d) return;
        _order.Add((d, key));
        _keys[key] = (d, d);
    }

    /// <summary>The earliest key due at or before <paramref name="now"/>, left in the index; null if none is due.</summary>
    public string? PeekDue(DateTimeOffset now) => Front() is { } front && front.Queued <= now ? front.Key : null;

    /// <summary>Removes and returns every key due at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<string> TakeDue(DateTimeOffset now)
    {
        var due = new List<string>();
        while (Front() is { } front && front.Queued <= now)
        {
            _order.Remove(front);
            _keys.Remove(front.Key);
            due.Add(front.Key);
        }
        return due;
    }

    /// <summary>The first entry, after moving keys whose due time was postponed to their place.</summary>
    private (DateTimeOffset Queued, string Key)? Front()
    {
        while (_order.Count > 0)
        {
            var first = _order.Min;
            var due = _keys[first.Key].Due;
            if (due == first.Queued) return first;
            _order.Remove(first);
            _order.Add((due, first.Key));
            _keys[first.Key] = (due, due);
        }
        return null;
    }
}
