using Streams.Actors.Entities;

namespace Streams.Rules.Tests;

public sealed class HeartbeatPhaseTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [Fact]
    public void Every_phase_lies_within_the_period_and_is_the_same_for_the_same_id()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var id = $"07{i:D6}";
            var phase = HeartbeatPhase.Of(id, Period);
            Assert.InRange(phase, TimeSpan.Zero, Period - TimeSpan.FromTicks(1));
            Assert.Equal(phase, HeartbeatPhase.Of(id, Period));
        }
    }

    [Fact]
    public void Twenty_municipalities_of_one_district_beat_spread_over_the_period()
    {
        var phases = Enumerable.Range(0, 20).Select(i => HeartbeatPhase.Of($"071{i:D2}000", Period)).ToList();
        var inEachThird = phases.GroupBy(p => (int)(p / (Period / 3))).Select(g => g.Count()).ToList();

        Assert.Equal(3, inEachThird.Count);
        Assert.All(inEachThird, count => Assert.InRange(count, 2, 14));
    }

    [Fact]
    public void A_period_of_zero_has_no_phase() => Assert.Equal(TimeSpan.Zero, HeartbeatPhase.Of("05766044", TimeSpan.Zero));
}
