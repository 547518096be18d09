using Streams.Actors.Ingestion;
using Xunit;

namespace Streams.Actors.Tests;

public sealed class SubjectLanesSpec
{
    [Fact]
    public async Task Work_of_one_subject_starts_only_after_the_previous_finished_even_when_it_failed()
    {
        var lanes = new SubjectLanes();
        var first = new TaskCompletionSource<int>();
        var started = new List<string>();
        var a1 = lanes.Run("pegel/a", () => { started.Add("a1"); return first.Task; });
        var a2 = lanes.Run("pegel/a", () => { lock (started) started.Add("a2"); return Task.FromResult(2); });
        await Task.Delay(50);
        Assert.Equal(["a1"], started);
        Assert.False(a2.IsCompleted);

        first.SetException(new TimeoutException("no answer"));
        Assert.Equal(2, await a2);
        await Assert.ThrowsAsync<TimeoutException>(() => a1);
        Assert.Equal(["a1", "a2"], started);
    }

    [Fact]
    public async Task Different_subjects_do_not_wait_for_each_other()
    {
        var lanes = new SubjectLanes();
        var blocked = new TaskCompletionSource<int>();
        var a = lanes.Run("pegel/a", () => blocked.Task);
        var b = await lanes.Run("pegel/b", () => Task.FromResult(7)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(7, b);
        Assert.False(a.IsCompleted);
        blocked.SetResult(1);
        await a;
    }

    [Fact]
    public async Task Many_queued_items_of_a_subject_run_in_queue_order_and_leave_no_lane_behind()
    {
        var lanes = new SubjectLanes();
        var order = new List<int>();
        var tasks = Enumerable.Range(0, 500).Select(i => lanes.Run($"bus/{i % 5}", async () =>
        {
            await Task.Yield();
            lock (order) order.Add(i);
            return i;
        })).ToList();
        await Task.WhenAll(tasks);
        for (var s = 0; s < 5; s++)
        {
            var subject = s;
            Assert.Equal(Enumerable.Range(0, 100).Select(k => k * 5 + subject), order.Where(i => i % 5 == subject));
        }
        await Task.Delay(50);
        Assert.Equal(0, lanes.Busy);
    }
}
