namespace Streams.Actors.Entities;

/// <summary>
/// Keys by the wall-clock time something is due for them (a sensor's staleness check, an unregistered vehicle's
/// retention), earliest first: a municipality wakes only the sensors that are due instead of all of them.
/// </summary>
public sealed class DueIndex
{
    private readonly SortedSet<(DateTimeOffset Due, string Key)> _byDue = new();
    private readonly Dictionary<string, DateTimeOffset> _dueOf = new(StringComparer.Ordinal);

    public int Count => _dueOf.Count;

    public DateTimeOffset? Earliest => _byDue.Count == 0 ? null : _byDue.Min.Due;

    public DateTimeOffset? DueOf(string key) => _dueOf.TryGetValue(key, out var due) ? due : null;

    /// <summary>Sets (or, with null, removes) the due time of <paramref name="key"/>.</summary>
    public void Set(string key, DateTimeOffset? due)
    {
        if (_dueOf.TryGetValue(key, out var old))
        {
            if (due == old) return;
            _byDue.Remove((old, key));
            _dueOf.Remove(key);
        }
        if (due is not { } d) return;
        _byDue.Add((d, key));
        _dueOf[key] = d;
    }

    /// <summary>The earliest key due at or before <paramref name="now"/>, left in the index; null if none is due.</summary>
    public string? PeekDue(DateTimeOffset now) => _byDue.Count > 0 && _byDue.Min.Due <= now ? _byDue.Min.Key : null;

    /// <summary>Removes and returns every key due at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<string> TakeDue(DateTimeOffset now)
    {
        var due = new List<string>();
        while (_byDue.Count > 0 && _byDue.Min.Due <= now)
        {
            var first = _byDue.Min;
            _byDue.Remove(first);
            _dueOf.Remove(first.Key);
            due.Add(first.Key);
        }
        return due;
    }
}
