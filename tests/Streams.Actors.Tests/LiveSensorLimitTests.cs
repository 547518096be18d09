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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void A_sensor_is_handed_back_only_after_half_the_limit_of_other_sensors_were_started_or_used_since_its_last_use(int limit)
    {
        var random = new Random(limit);
        var live = new LiveSensorLimit<string>(limit);
        var handles = new Dictionary<string, LiveSensorLimit<string>.Handle>();
        var lastTouched = new Dictionary<string, int>();
        var next = 0;
        for (var call = 1; call <= 20_000; call++)
        {
            if (handles.Count > 0 && random.Next(3) > 0)
            {
                var sensor = handles.Keys.ElementAt(random.Next(handles.Count));
                if (random.Next(20) == 0)
                {
                    live.Stopped(handles[sensor]);
                    handles.Remove(sensor);
                    continue;
                }
                live.Used(handles[sensor]);
                lastTouched[sensor] = call;
                continue;
            }
            var started = $"s{next++}";
            var (handle, evict) = live.Started(started);
            handles[started] = handle;
            lastTouched[started] = call;
            if (evict is not null)
            {
                Assert.True(call - lastTouched[evict] > limit / 2,
                    $"{evict} handed back at call {call}, touched at {lastTouched[evict]} (limit {limit})");
                handles.Remove(evict);
            }
            Assert.Equal(handles.Count, live.Count);
            Assert.True(live.Count <= limit);
        }
    }

    [Fact]
    public void Using_a_sensor_started_recently_keeps_the_order_of_starts()
    {
        var live = new LiveSensorLimit<string>(8);
        var handles = new[] { "a", "b", "c" }.Select(s => live.Started(s).Handle).ToArray();
        live.Used(handles[0]); // fewer than 4 starts or moves since a's start: a stays oldest
        foreach (var s in new[] { "d", "e", "f", "g", "h" }) live.Started(s);

        Assert.Equal("a", live.Started("i").Evict);
    }
}
