using Streams.Contracts.Outputs;

namespace Streams.Actors.Entities;

/// <summary>
/// A sensor's alerts that are durable but not yet acknowledged by Kafka, and the acknowledgments that wait for them.
/// One publication at a time, first in first out, so a subject's alerts reach Kafka in the order they were raised.
/// Pure bookkeeping: the entity does the I/O.
/// </summary>
/// <typeparam name="TWaiter">Whoever waits for the alerts queued so far to be published (an asker and its answer).</typeparam>
public sealed class AlertOutbox<TWaiter>
{
    private readonly List<AlertEvent> _pending = [];
    private readonly Queue<(TWaiter Waiter, long NeedsPublished)> _waiting = new();
    private IReadOnlyList<AlertEvent>? _inFlight;
    private long _queued;     // alerts put into the outbox by this incarnation (recovered ones included)
    private long _published;  // alerts this incarnation saw acknowledged

    public IReadOnlyList<AlertEvent> Pending => _pending;
    public int Count => _pending.Count;
    public bool IsPublishing => _inFlight is not null;

    /// <summary>The batch being published, if any.</summary>
    public IReadOnlyList<AlertEvent>? InFlight => _inFlight;
    public int Waiting => _waiting.Count;

    /// <summary>Nothing to publish, nothing in flight, nobody waiting: safe to stop.</summary>
    public bool IsIdle => _inFlight is null && _pending.Count == 0 && _waiting.Count == 0;

    public void Add(IReadOnlyList<AlertEvent> alerts)
    {
        _pending.AddRange(alerts);
        _queued += alerts.Count;
    }

    /// <summary>Recovery: alerts recorded as published are no longer owed.</summary>
    public void Forget(IReadOnlyCollection<string> ids)
    {
        var removed = _pending.RemoveAll(a => ids.Contains(a.Id));
        _queued -= removed;
    }

    public void Reset(IReadOnlyList<AlertEvent> alerts)
    {
        _pending.Clear();
        _queued = 0;
        Add(alerts);
    }

    /// <summary><paramref name="waiter"/> is released once every alert queued so far is published (at once if none is owed).</summary>
    public IReadOnlyList<TWaiter> Wait(TWaiter waiter)
    {
        _waiting.Enqueue((waiter, _queued));
        return Release();
    }

    /// <summary>The batch to publish now, or null when one is in flight or nothing is owed.</summary>
    public IReadOnlyList<AlertEvent>? NextBatch()
    {
        if (_inFlight is not null || _pending.Count == 0) return null;
        _inFlight = _pending.ToList();
        return _inFlight;
    }

    /// <summary>The batch in flight reached Kafka: returns the waiters this releases, in order.</summary>
    public IReadOnlyList<TWaiter> Published()
    {
        if (_inFlight is null) return [];
        _pending.RemoveRange(0, _inFlight.Count);
        _published += _inFlight.Count;
        _inFlight = null;
        return Release();
    }

    /// <summary>The batch in flight failed (or was abandoned): it stays owed and is published again.</summary>
    public void PublishFailed() => _inFlight = null;

    /// <summary>Everyone waiting, removed (the entity failed and stops; they ask again).</summary>
    public IReadOnlyList<TWaiter> TakeAllWaiting()
    {
        var all = _waiting.Select(w => w.Waiter).ToList();
        _waiting.Clear();
        return all;
    }

    // Most calls release nobody or exactly one waiter (an acknowledgment with nothing owed): no list for those.
    private IReadOnlyList<TWaiter> Release()
    {
        if (!CanRelease()) return [];
        var first = _waiting.Dequeue().Waiter;
        if (!CanRelease()) return [first];
        var released = new List<TWaiter> { first };
        while (CanRelease()) released.Add(_waiting.Dequeue().Waiter);
        return released;
    }

    private bool CanRelease() => _waiting.Count > 0 && _waiting.Peek().NeedsPublished <= _published;
}
