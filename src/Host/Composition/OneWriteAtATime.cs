namespace Streams.Host.Composition;

/// <summary>
/// Runs a store's plain SQLite writes on the thread pool one after another, in the order they were handed over: off
/// the journal's or snapshot store's thread, so it goes on answering reads and dispatching inserts, and never two at
/// once, so they do not wait on each other in SQLite's busy handler (which sleeps 1, 2, 5, 10 … ms between tries).
/// </summary>
internal sealed class OneWriteAtATime
{
    private readonly object _gate = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Starts <paramref name="write"/> once every write handed over before it is over, whether or not it succeeded.</summary>
    public Task Run(Action write)
    {
        lock (_gate)
        {
            var next = _last.ContinueWith(_ => write(), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
            _last = next;
            return next;
        }
    }
}
