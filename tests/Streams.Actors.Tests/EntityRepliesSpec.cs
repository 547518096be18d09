using Akka.Actor;
using Akka.TestKit.Xunit2;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

public sealed class EntityRepliesSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly StandingClock _clock = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    // The sweep runs when a test calls it: its own timer would fire only after an hour.
    private EntityReplies NewReplies() => new(Sys, _clock, TimeSpan.FromHours(1));

    private static ApplyReadings Command(string sensorId) => new(sensorId, []);

    [Fact]
    public async Task An_answer_naming_the_subject_completes_its_wait_and_every_command_has_the_same_reply_address()
    {
        using var replies = NewReplies();
        var region = CreateTestProbe();

        var first = replies.Ask(region, Command("a"), "pegel/a", Timeout);
        region.ExpectMsg<ApplyReadings>();
        var firstSender = region.LastSender;
        var second = replies.Ask(region, Command("b"), "pegel/b", Timeout);
        region.ExpectMsg<ApplyReadings>();
        Assert.Equal(firstSender, region.LastSender);

        firstSender.Tell(new ReadingsAck("pegel/b", 2, 0, 0));
        firstSender.Tell(new ReadingsNotStored("pegel/a", "disk full"));

        Assert.Equal(new ReadingsAck("pegel/b", 2, 0, 0), await second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(new ReadingsNotStored("pegel/a", "disk full"), await first.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_wait_past_its_deadline_times_out_and_the_late_answer_is_not_taken_for_the_subjects_next_command()
    {
        using var replies = NewReplies();
        var region = CreateTestProbe();

        var first = replies.Ask(region, Command("a"), "pegel/a", Timeout);
        region.ExpectMsg<ApplyReadings>();
        var shared = region.LastSender;
        _clock.Now += Timeout + TimeSpan.FromSeconds(1);
        replies.Sweep();
        await Assert.ThrowsAsync<AskTimeoutException>(() => first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, replies.AskedApart);

        // The subject's next command has a reply address of its own; the first command's answer comes only now.
        var next = replies.Ask(region, Command("a"), "pegel/a", Timeout);
        region.ExpectMsg<ApplyReadings>();
        var own = region.LastSender;
        Assert.NotEqual(shared, own);
        shared.Tell(new ReadingsAck("pegel/a", 1, 0, 0));
        await Task.Delay(300);
        Assert.False(next.IsCompleted);

        own.Tell(new ReadingsAck("pegel/a", 0, 1, 0));
        Assert.Equal(new ReadingsAck("pegel/a", 0, 1, 0), await next.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_wait_before_its_deadline_survives_a_sweep()
    {
        using var replies = NewReplies();
        var region = CreateTestProbe();

        var wait = replies.Ask(region, Command("a"), "bus/a", Timeout);
        region.ExpectMsg<ApplyReadings>();
        _clock.Now += Timeout - TimeSpan.FromSeconds(1);
        replies.Sweep();
        Assert.False(wait.IsCompleted);
        Assert.Equal(0, replies.AskedApart);

        region.LastSender.Tell(new ReadingsRefused("bus/a", "retired"));
        Assert.Equal(new ReadingsRefused("bus/a", "retired"), await wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Disposing_fails_the_open_waits_and_refuses_new_ones()
    {
        var replies = NewReplies();
        var region = CreateTestProbe();
        var wait = replies.Ask(region, Command("a"), "parking/a", Timeout);

        replies.Dispose();

        await Assert.ThrowsAsync<AskTimeoutException>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => replies.Ask(region, Command("b"), "parking/b", Timeout));
    }
}
