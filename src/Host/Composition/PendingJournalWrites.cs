using System.Collections.Immutable;
using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>
/// The atomic writes that reach the journal while its previous write is still running, kept in arrival order to be
/// handed to the plugin as one write; each caller gets its own slice of the plugin's answer (one rejection slot per
/// atomic write, null for a stored one).
/// </summary>
public sealed class PendingJournalWrites
{
    private readonly List<AtomicWrite> _writes = [];
    private readonly List<(int Count, TaskCompletionSource<IImmutableList<Exception>> Done)> _callers = [];

    public bool IsEmpty => _callers.Count == 0;

    public Task<IImmutableList<Exception>> Add(IReadOnlyList<AtomicWrite> writes)
    {
        var done = new TaskCompletionSource<IImmutableList<Exception>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.AddRange(writes);
        _callers.Add((writes.Count, done));
        return done.Task;
    }

    /// <summary>Takes every pending write; <paramref name="complete"/> then answers their callers from the combined write.</summary>
    public IReadOnlyList<AtomicWrite> Take(out Action<Task<IImmutableList<Exception>>> complete)
    {
        var writes = _writes.ToList();
        var callers = _callers.ToList();
        _writes.Clear();
        _callers.Clear();
        complete = combined => combined.ContinueWith(t => Answer(callers, writes.Count, t),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return writes;
    }

    private static void Answer(List<(int Count, TaskCompletionSource<IImmutableList<Exception>> Done)> callers, int total,
        Task<IImmutableList<Exception>> combined)
    {
        if (!combined.IsCompletedSuccessfully)
        {
            var failure = combined.Exception?.InnerException ?? new TaskCanceledException("the combined journal write was cancelled");
            foreach (var (_, done) in callers) done.TrySetException(failure);
            return;
        }
        var rejections = combined.Result;
        if (rejections is not null && rejections.Count != total)
        {
            var mismatch = new InvalidOperationException($"the journal answered {rejections.Count} results for {total} atomic writes");
            foreach (var (_, done) in callers) done.TrySetException(mismatch);
            return;
        }
        var offset = 0;
        foreach (var (count, done) in callers)
        {
            done.TrySetResult(rejections is null ? null! : rejections.Skip(offset).Take(count).ToImmutableList());
            offset += count;
        }
    }
}
