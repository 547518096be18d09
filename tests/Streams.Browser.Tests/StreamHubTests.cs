using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Host.Http.Streaming;

namespace Streams.Browser.Tests;

public sealed class StreamHubTests
{
    private static StreamHub Hub(int queue = 8, int replay = 100) =>
        new(new LiveStreamOptions { ClientQueue = queue, ReplayEvents = replay }, NullLogger<StreamHub>.Instance);

    private static void Publish(StreamHub hub, int count, string municipality = "m1")
    {
        for (var i = 0; i < count; i++) hub.Publish("aggregate", municipality, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
    }

    private static List<StreamEvent> Drain(StreamClient client)
    {
        var events = new List<StreamEvent>();
        while (client.Reader.TryRead(out var e)) events.Add(e);
        return events;
    }

    private static string Id(StreamEvent e) => Encoding.UTF8.GetString(e.Frame).Split('\n')[0]["id: ".Length..];

    [Fact]
    public void A_client_that_falls_a_full_queue_behind_is_dropped_while_a_client_that_keeps_up_gets_every_event()
    {
        var hub = Hub(queue: 8);
        var slow = hub.Subscribe("m1", null);
        var fast = hub.Subscribe("m1", null);
        var received = 0;

        for (var i = 0; i < 20; i++)
        {
            Publish(hub, 1);
            received += Drain(fast).Count(e => e.Type == "aggregate");
        }

        Assert.Equal(20, received);
        Assert.Equal(1, hub.Dropped);
        Assert.Equal(1, hub.Clients);
        Assert.Equal(8, Drain(slow).Count); // hello and what it had queued, then the end of its stream
        Assert.True(slow.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void A_client_resuming_from_a_kept_event_id_gets_exactly_the_events_of_its_municipality_it_missed()
    {
        var hub = Hub();
        var first = hub.Subscribe("m1", null);
        Publish(hub, 3);
        var lastSeen = Id(Drain(first)[^1]);
        hub.Unsubscribe(first);

        Publish(hub, 2);
        Publish(hub, 4, "m2");
        var resumed = hub.Subscribe("m1", lastSeen);

        var missed = Drain(resumed);
        Assert.Equal(2, missed.Count);
        Assert.All(missed, e => Assert.Equal("m1", e.Municipality));
        Assert.Equal(["{\"n\":0}", "{\"n\":1}"], missed.Select(e => Encoding.UTF8.GetString(e.Frame).Split('\n')[2]["data: ".Length..]));
    }

    [Theory]
    [InlineData("0-1")]          // another process (epoch)
    [InlineData("garbage")]
    public void A_client_resuming_from_an_id_of_another_process_is_told_to_reset(string lastEventId)
    {
        var hub = Hub();
        Publish(hub, 3);
        var client = hub.Subscribe("m1", lastEventId);
        Assert.Equal("reset", Assert.Single(Drain(client)).Type);
    }

    [Fact]
    public void A_client_that_saw_no_event_yet_can_resume_from_the_position_it_was_given_at_the_start()
    {
        var hub = Hub();
        Publish(hub, 2);
        var first = hub.Subscribe("m1", null);
        var hello = Assert.Single(Drain(first));
        Assert.Equal("hello", hello.Type);
        hub.Unsubscribe(first);
        Publish(hub, 1);

        var resumed = hub.Subscribe("m1", Id(hello));

        Assert.Equal("aggregate", Assert.Single(Drain(resumed)).Type);
    }

    [Fact]
    public void A_client_resuming_from_an_id_no_longer_kept_is_told_to_reset()
    {
        var hub = Hub(replay: 5);
        var first = hub.Subscribe("m1", null);
        Publish(hub, 1);
        var lastSeen = Id(Drain(first)[^1]);
        hub.Unsubscribe(first);
        Publish(hub, 10);

        var client = hub.Subscribe("m1", lastSeen);

        Assert.Equal("reset", Assert.Single(Drain(client)).Type);
    }
}
