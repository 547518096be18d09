namespace Streams.Host.Http;

/// <summary>
/// The garbage collector's view of the heap for <c>/api/status</c>: how large it was after the last collection, how
/// much of that was free space between live objects, and how long the last full blocking collection paused the
/// process (the price of compacting; see docs/performance.md).
/// </summary>
public static class GcFigures
{
    public static object Now()
    {
        var any = GC.GetGCMemoryInfo(GCKind.Any);
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new
        {
            heapBytes = any.HeapSizeBytes,
            fragmentedBytes = any.FragmentedBytes,
            committedBytes = any.TotalCommittedBytes,
            lastFullBlockingPauseMs = full.Index == 0 ? 0 : full.PauseDurations[0].TotalMilliseconds,
            concurrent = System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch,
            server = System.Runtime.GCSettings.IsServerGC,
        };
    }
}
