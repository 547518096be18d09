using Streams.Actors.Registry;

namespace Streams.Actors.Tests;

/// <summary>When a reading of an unknown subject may be dead-lettered: only once the registry is read past its write time.</summary>
public sealed class RegistryCurrencyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Before_the_registry_was_ever_read_to_its_end_nothing_is_known_complete()
    {
        var currency = new RegistryCurrency(new StandingClock(T0));
        Assert.Equal(DateTimeOffset.MinValue, currency.CurrentAsOf);
        currency.Behind();
        Assert.Equal(DateTimeOffset.MinValue, currency.CurrentAsOf);
    }

    [Fact]
    public void At_the_end_of_every_partition_the_view_is_complete_up_to_now_less_the_fetch_slack_and_follows_the_clock()
    {
        var clock = new StandingClock(T0);
        var currency = new RegistryCurrency(clock);
        currency.AtEnd();
        Assert.Equal(T0 - RegistryCurrency.FetchSlack, currency.CurrentAsOf);
        clock.Now = T0.AddSeconds(30);
        Assert.Equal(T0.AddSeconds(30) - RegistryCurrency.FetchSlack, currency.CurrentAsOf);
    }

    [Fact]
    public void Once_a_record_arrives_the_view_stays_complete_only_up_to_that_moment_until_the_end_is_reached_again()
    {
        var clock = new StandingClock(T0);
        var currency = new RegistryCurrency(clock);
        currency.AtEnd();
        clock.Now = T0.AddSeconds(10);
        currency.Behind();
        clock.Now = T0.AddSeconds(20);
        currency.Behind(); // more records: still complete only up to when the first one arrived
        Assert.Equal(T0.AddSeconds(10) - RegistryCurrency.FetchSlack, currency.CurrentAsOf);
        currency.AtEnd();
        Assert.Equal(T0.AddSeconds(20) - RegistryCurrency.FetchSlack, currency.CurrentAsOf);
    }

    [Fact]
    public async Task A_wait_ends_when_the_registry_reaches_its_end_past_the_write_time_or_gives_up_at_its_limit()
    {
        var currency = new RegistryCurrency(TimeProvider.System);
        var written = DateTimeOffset.UtcNow;
        Assert.False(await currency.WaitUntilCurrentPast(written, TimeSpan.FromMilliseconds(200)), "never read: gives up");

        var waiting = currency.WaitUntilCurrentPast(written, TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "behind: still waiting");
        currency.AtEnd(); // at the end now; the slack has to pass the write time too
        Assert.True(await waiting);
        Assert.True(DateTimeOffset.UtcNow - RegistryCurrency.FetchSlack >= written);
    }
}
