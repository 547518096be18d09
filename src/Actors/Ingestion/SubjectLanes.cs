namespace Streams.Actors.Ingestion;

/// <summary>
/// Runs the work of one subject strictly one after the other, in the order it was queued; different subjects run
/// concurrently. The readings pipeline sends a subject's next reading only once the previous one is acknowledged.
/// </summary>
/// <remarks>
/// Without it, readings of one subject were in flight together. When the entity stopped on a persistence failure,
/// every one of them went unanswered and was asked again independently: the retry of a later reading could reach the
/// restarted entity first, after which the earlier ones were ignored as older and their alert transitions never
/// happened. One reading in flight per subject costs little: it is other subjects that fill the pipeline.
/// </remarks>
public sealed class SubjectLanes
{
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Subjects with work queued or running.</summary>
    public int Busy
    {
        get
        {
            lock (_gate) return _tails.Count;
        }
    }

    /// <summary>Starts <paramref name="work"/> once everything queued before it for <paramref name="subject"/> has finished (successfully or not).</summary>
    /// <remarks>
    /// The lock only orders the lanes; <paramref name="work"/> starts outside it. It used to start inside it, so the
    /// synchronous part of every ask (through the shard region) held the lock, and the threads finishing earlier work
    /// waited for it: the most contended lock of the node in a thread-time profile.
    /// </remarks>
    public Task<T> Run<T>(string subject, Func<Task<T>> work)
    {
        Task<T> task;
        Task<Task<T>>? startNow = null;
        lock (_gate)
        {
            if (_tails.TryGetValue(subject, out var previous))
            {
                task = previous.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
            else
            {
                startNow = new Task<Task<T>>(work);
                task = startNow.Unwrap();
            }
            _tails[subject] = task;
        }
        startNow?.RunSynchronously(TaskScheduler.Default);
        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                if (_tails.TryGetValue(subject, out var tail) && tail == t) _tails.Remove(subject);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }
}
