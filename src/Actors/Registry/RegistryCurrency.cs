namespace Streams.Actors.Registry;

/// <summary>
/// How far this node's registry view is known to be complete: every registry record written before
/// <see cref="CurrentAsOf"/> has been applied. While the registry consumer sits at the end of every partition, the view
/// is complete up to its last fetch (at most <see cref="FetchSlack"/> ago, which also absorbs clock skew between the
/// producers' hosts and this one); once a record arrives, it is complete up to that moment until every partition is
/// at its end again.
/// </summary>
public sealed class RegistryCurrency(TimeProvider clock)
{
    public static readonly TimeSpan FetchSlack = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private bool _atEnd;
    private DateTimeOffset _currentUntil = DateTimeOffset.MinValue;

    public DateTimeOffset CurrentAsOf
    {
        get
        {
            lock (_gate)
            {
                if (_currentUntil == DateTimeOffset.MinValue) return _currentUntil;
                return (_atEnd ? clock.GetUtcNow() : _currentUntil) - FetchSlack;
            }
        }
    }

    /// <summary>The registry consumer reached the end of every partition it reads.</summary>
    public void AtEnd()
    {
        lock (_gate)
        {
            _atEnd = true;
            _currentUntil = clock.GetUtcNow();
        }
    }

    /// <summary>A registry record was read: the view is complete up to now, but no longer known to be at the end.</summary>
    public void Behind()
    {
        lock (_gate)
        {
            if (!_atEnd) return;
            _atEnd = false;
            _currentUntil = clock.GetUtcNow();
        }
    }

    /// <summary>Waits until every registry record written before <paramref name="written"/> is in the view, at most <paramref name="limit"/>.</summary>
    /// <returns>False if the limit was reached first.</returns>
    public async Task<bool> WaitUntilCurrentPast(DateTimeOffset written, TimeSpan limit)
    {
        var deadline = clock.GetUtcNow() + limit;
        while (CurrentAsOf < written)
        {
            if (clock.GetUtcNow() >= deadline) return false;
            await Task.Delay(PollInterval, clock).ConfigureAwait(false);
        }
        return true;
    }
}
