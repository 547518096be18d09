using Streams.Actors.Entities;

namespace Streams.Actors.Tests;

public sealed class LiveSensorLimitTests
{
    [Fact]
    public void The_least_recently_used_sensor_is_handed_back_once_the_limit_is_exceeded()
    {
        var live = new LiveSensorLimit<string>(2);
        var (a, _) = live.Started("a");
        live.Started("b");
        live.Used(a);

        var (_, evict) = live.Started("c");

        Assert.Equal("b", evict);
        Assert.Equal(2, live.Count);
        Assert.Equal(1, live.Evicted);
    }

    [Fact]
    public void A_handed_back_or_stopped_sensor_is_no_longer_counted_and_using_it_changes_nothing()
    {
        var live = new LiveSensorLimit<string>(1);
        var (a, _) = live.Started("a");
        var (b, evicted) = live.Started("b");
        Assert.Equal("a", evicted);

        live.Used(a);   // evicted, still handling what was in its mailbox
        live.Stopped(a);
        Assert.Equal(1, live.Count);

        live.Stopped(b);
        Assert.Equal(0, live.Count);
        Assert.Null(live.Started("c").Evict);
    }

    [Fact]
    public void Sensors_used_in_turn_are_evicted_oldest_first()
    {
        var live = new LiveSensorLimit<string>(3);
        var handles = new[] { "a", "b", "c" }.Select(s => live.Started(s).Handle).ToArray();
        live.Used(handles[0]);
        live.Used(handles[1]);

        Assert.Equal(["c", "a", "b"], new[] { "d", "e", "f" }.Select(s => live.Started(s).Evict));
    }
}
