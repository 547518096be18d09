using Streams.Actors.Entities;

namespace Streams.Actors.Tests;

public sealed class SnapshotSlotsTests
{
    [Fact]
    public void Slots_are_refused_beyond_the_limit_and_a_returned_one_can_be_taken_again()
    {
        var slots = new SnapshotSlots(2);

        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());
        slots.Return();
        Assert.True(slots.TryTake());
        Assert.Equal(2, slots.Taken);
    }

    [Fact]
    public void Many_threads_taking_at_once_never_get_more_slots_than_the_limit()
    {
        var slots = new SnapshotSlots(3);
        var granted = 0;

        Parallel.For(0, 10_000, _ =>
        {
            if (slots.TryTake()) Interlocked.Increment(ref granted);
        });

        Assert.Equal(3, granted);
        Assert.Equal(3, slots.Taken);
    }
}
