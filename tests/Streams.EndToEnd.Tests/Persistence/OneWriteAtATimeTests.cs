using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

public sealed class OneWriteAtATimeTests
{
    [Fact]
    public async Task Writes_run_one_at_a_time_in_the_order_handed_over_and_a_failed_one_does_not_stop_the_next()
    {
        var writes = new OneWriteAtATime();
        var running = 0;
        var overlapped = false;
        var order = new List<int>();
        var tasks = Enumerable.Range(0, 50).Select(i => writes.Run(() =>
        {
            if (Interlocked.Increment(ref running) > 1) overlapped = true;
            Thread.Sleep(i % 5 == 0 ? 2 : 0);
            lock (order) order.Add(i);
            Interlocked.Decrement(ref running);
            if (i == 10) throw new InvalidOperationException("disk full");
        })).ToList();

        await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[10]);
        await Task.WhenAll(tasks.Where((_, i) => i != 10));
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 50), order);
    }
}
