namespace Streams.Bench.Floor;

/// <summary>Runs work items with at most a given number in flight, as the host's pipeline does with its asks.</summary>
public static class FloorDriver
{
    public static async Task ForEach(int count, int inFlight, Func<int, Task> work, Action<long> progress)
    {
        using var slots = new SemaphoreSlim(inFlight);
        var failures = new List<Exception>();
        var done = 0L;
        var lastReport = Environment.TickCount64;
        var running = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            running.Add(RunOne(i));
            if (Environment.TickCount64 - lastReport > 5000)
            {
                lastReport = Environment.TickCount64;
                progress(Interlocked.Read(ref done));
            }
        }
        await Task.WhenAll(running).ConfigureAwait(false);
        progress(done);
        if (failures.Count > 0) throw new AggregateException($"{failures.Count} of {count} commands failed", failures.Take(5));

        // Called directly, like the pipeline's stage: the work runs on this thread up to its first await (the ask's send).
        async Task RunOne(int index)
        {
            try
            {
                await work(index).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (failures) failures.Add(e);
            }
            finally
            {
                Interlocked.Increment(ref done);
                slots.Release();
            }
        }
    }
}
