using Streams.Actors.Entities;

namespace Streams.Actors.Tests;

public sealed class WakeBudgetTests
{
    [Fact]
    public void A_second_of_wakes_at_once_then_no_more_than_the_rate_and_never_more_than_a_second_saved_up()
    {
        var clock = new StandingClock(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var budget = new WakeBudget(100, clock);
        Assert.Equal(100, budget.Take(1000));
        Assert.Equal(0, budget.Take(1));
        clock.Now += TimeSpan.FromMilliseconds(250);
        Assert.Equal(25, budget.Take(1000));
        clock.Now += TimeSpan.FromMinutes(10); // idle for long: still only one second's worth
        Assert.Equal(100, budget.Take(1000));
        clock.Now += TimeSpan.FromMilliseconds(100);
        Assert.Equal(3, budget.Take(3));
        Assert.Equal(7, budget.Take(1000));
    }

    [Fact]
    public void Callers_on_many_threads_share_one_total()
    {
        var budget = new WakeBudget(50, new StandingClock(DateTimeOffset.UnixEpoch));
        var total = 0;
        Parallel.For(0, 20, _ => Interlocked.Add(ref total, budget.Take(10)));
        Assert.Equal(50, total);
    }
}
