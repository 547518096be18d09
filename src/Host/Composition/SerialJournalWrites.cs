using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>
/// A journal's writes one at a time: the writes that arrive while one runs go to the database together as the next
/// one (<see cref="PendingJournalWrites"/>), so a burst from many entities is one statement and one commit instead of
/// one each. Also knows, per persistence id, the write in flight, which a highest-sequence-number read must wait for.
/// Used from the journal actor's thread only, except <see cref="InFlight"/>.
/// </summary>
public sealed class SerialJournalWrites(Func<IReadOnlyList<AtomicWrite>, Task<IImmutableList<Exception>>> submit, Action writeDone)
{
    private readonly ConcurrentDictionary<string, Task> _writing = new(StringComparer.Ordinal);
    private readonly PendingJournalWrites _pending = new();
    private bool _running;

    public Task<IImmutableList<Exception>> Write(IReadOnlyList<AtomicWrite> writes)
    {
        var future = _running ? _pending.Add(writes) : Submit(writes);
        Track(writes, future);
        return future;
    }

    /// <summary>The journal heard that the running write is over (<c>writeDone</c> asked it to tell itself): the next one starts.</summary>
    public void WriteDone()
    {
        _running = false;
        if (_pending.IsEmpty) return;
        var writes = _pending.Take(out var complete);
        complete(Submit(writes));
    }

    /// <summary>The write running or waiting for <paramref name="persistenceId"/>, if any.</summary>
    public Task? InFlight(string persistenceId) => _writing.TryGetValue(persistenceId, out var write) ? write : null;

    /// <summary>Completes when <paramref name="write"/> is over, whether it succeeded or not.</summary>
    public static Task Over(Task write) =>
        write.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private Task<IImmutableList<Exception>> Submit(IReadOnlyList<AtomicWrite> writes)
    {
        Task<IImmutableList<Exception>> future;
        try
        {
            future = submit(writes);
        }
        catch (Exception e)
        {
            return Task.FromException<IImmutableList<Exception>>(e);
        }
        _running = true;
        future.ContinueWith(_ => writeDone(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return future;
    }

    private void Track(IReadOnlyList<AtomicWrite> writes, Task future)
    {
        var persistenceIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var write in writes)
            if (persistenceIds.Add(write.PersistenceId)) _writing[write.PersistenceId] = future;
        future.ContinueWith(done =>
        {
            foreach (var persistenceId in persistenceIds) _writing.TryRemove(new KeyValuePair<string, Task>(persistenceId, done));
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
