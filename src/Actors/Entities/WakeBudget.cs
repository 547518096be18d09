namespace Streams.Actors.Entities;

/// <summary>
/// How many sleeping sensors this node's municipalities may wake per second, shared by all of them (a token bucket
/// holding at most one second's worth). Waking a sensor is a recovery from the journal: a municipality recovering with
/// 100,000 members once woke them all within seconds, and the readings' asks timed out behind the recoveries.
/// Readings never take from the budget; only background wakes (reports after a restart, due staleness checks) do.
/// </summary>
public sealed class WakeBudget(int perSecond, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly int _perSecond = Math.Max(1, perSecond);
    private double _tokens = Math.Max(1, perSecond);
    private DateTimeOffset _refilledAt = clock.GetUtcNow();

    /// <summary>Takes up to <paramref name="wanted"/> wakes; returns how many may happen now.</summary>
    public int Take(int wanted)
    {
        if (wanted <= 0) return 0;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var elapsed = (now - _refilledAt).TotalSeconds;
            if (elapsed > 0) _tokens = Math.Min(_perSecond, _tokens + elapsed * _perSecond);
            _refilledAt = now;
            var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
            _tokens -= granted;
            return granted;
        }
    }
}
