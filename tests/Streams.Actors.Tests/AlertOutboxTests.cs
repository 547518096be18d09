using Streams.Actors.Entities;
using Streams.Contracts.Outputs;

namespace Streams.Actors.Tests;

public sealed class AlertOutboxTests
{
    private static AlertEvent Alert(string id) => new("1.0", id, "/streams/municipalities/05766044", AlertEvent.RaisedType,
        "pegel/1", DateTimeOffset.UnixEpoch, "application/json",
        new AlertData("pegel.stage1", "raised", "info", "05766044", "pegel", "1", 1, 1, DateTimeOffset.UnixEpoch, "m"));

    [Fact]
    public void A_waiter_with_nothing_owed_is_released_at_once()
    {
        var outbox = new AlertOutbox<string>();
        Assert.Equal(["a"], outbox.Wait("a"));
        Assert.True(outbox.IsIdle);
    }

    [Fact]
    public void A_waiter_is_released_only_when_everything_queued_before_it_is_published_in_order()
    {
        var outbox = new AlertOutbox<string>();
        outbox.Add([Alert("1")]);
        Assert.Empty(outbox.Wait("first"));
        var batch = outbox.NextBatch()!;
        outbox.Add([Alert("2")]);
        Assert.Empty(outbox.Wait("second"));
        Assert.Null(outbox.NextBatch()); // one publication at a time

        Assert.Equal(["1"], batch.Select(a => a.Id));
        Assert.Equal(["first"], outbox.Published());
        Assert.Equal(["2"], outbox.NextBatch()!.Select(a => a.Id));
        Assert.Equal(["second"], outbox.Published());
        Assert.True(outbox.IsIdle);
    }

    [Fact]
    public void A_failed_publication_keeps_its_alerts_owed_and_publishes_them_again_first()
    {
        var outbox = new AlertOutbox<string>();
        outbox.Add([Alert("1"), Alert("2")]);
        outbox.Wait("w");
        outbox.NextBatch();
        outbox.Add([Alert("3")]);
        outbox.PublishFailed();

        Assert.False(outbox.IsIdle);
        Assert.Equal(["1", "2", "3"], outbox.NextBatch()!.Select(a => a.Id));
        Assert.Equal(["w"], outbox.Published());
    }

    [Fact]
    public void Alerts_recorded_as_published_before_a_restart_are_not_owed_again()
    {
        var outbox = new AlertOutbox<string>();
        outbox.Add([Alert("1"), Alert("2"), Alert("3")]);
        outbox.Forget(new HashSet<string> { "1", "2" });

        Assert.Equal(["3"], outbox.Pending.Select(a => a.Id));
        Assert.Empty(outbox.Wait("w"));
        outbox.NextBatch();
        Assert.Equal(["w"], outbox.Published());
    }

    [Fact]
    public void Failing_the_entity_hands_back_every_waiter_once()
    {
        var outbox = new AlertOutbox<string>();
        outbox.Add([Alert("1")]);
        outbox.Wait("a");
        outbox.Wait("b");
        Assert.Equal(["a", "b"], outbox.TakeAllWaiting());
        Assert.Empty(outbox.TakeAllWaiting());
    }
}
