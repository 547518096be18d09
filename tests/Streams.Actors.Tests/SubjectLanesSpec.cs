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

    [Fact]
    public async Task A_subjects_work_starts_outside_the_lanes_lock_so_other_threads_can_queue_work_meanwhile()
    {
        var lanes = new SubjectLanes();
        var other = lanes.Run("pegel/a", () =>
        {
            // The synchronous part of the work (an ask through the shard region, in the pipeline) waits for another
            // thread that queues work of its own: with the lock held here that thread could not get in.
            var queuedElsewhere = Task.Run(() => lanes.Run("pegel/b", () => Task.FromResult(2)));
            return Task.FromResult(queuedElsewhere.Wait(TimeSpan.FromSeconds(5)));
        });
        Assert.True(await other, "the other thread could not queue work while this subject's work was starting");
    }

    [Fact]
    public async Task Work_that_throws_before_its_first_await_fails_its_task_and_the_subjects_next_work_still_runs()
    {
        var lanes = new SubjectLanes();
        var failing = lanes.Run<int>("pegel/a", () => throw new InvalidOperationException("broken"));
        var next = lanes.Run("pegel/a", () => Task.FromResult(3));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(3, await next);
    }
}
