using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Actors.Kafka.Internal;

namespace Streams.Kafka.Tests;

public sealed class PendingOffsetsTests
{
    /// <summary>A step: add the next offset (after a gap of 0–2, as compaction leaves), or mark the k-th added offset done.</summary>
    private static readonly Gen<(bool Add, int Value)> Step =
        Gen.Frequency((3, Gen.Choose(0, 2).Select(gap => (true, gap))), (2, Gen.Choose(0, 400).Select(k => (false, k))));

    [Property(MaxTest = 500)]
    public Property Answers_like_a_sorted_set_of_the_offsets_not_done_after_every_step() =>
        Prop.ForAll(Gen.ListOf(Step).Select(s => s.ToArray()).ToArbitrary(), steps =>
        {
            var pending = new PendingOffsets();
            var model = new SortedSet<long>();
            var added = new List<long>();
            var next = 100L;
            foreach (var (add, value) in steps)
            {
                if (add)
                {
                    next += value;
                    pending.Add(next);
                    model.Add(next);
                    added.Add(next);
                    next++;
                }
                else
                {
                    // Also offsets never added (past the end) and offsets done already.
                    var offset = value < added.Count ? added[value] : next + value;
                    Assert.Equal(model.Remove(offset), pending.MarkDone(offset));
                }
                Assert.Equal(model.Count, pending.Count);
                Assert.Equal(model.Count > 0 ? model.Min : null, pending.Lowest);
            }
        });

    [Fact]
    public void Many_offsets_in_flight_done_in_reverse_leave_the_lowest_until_last()
    {
        var pending = new PendingOffsets();
        for (var o = 0L; o < 10_000; o++) pending.Add(o);
        for (var o = 9_999L; o > 0; o--)
        {
            Assert.True(pending.MarkDone(o));
            Assert.Equal(0, pending.Lowest);
        }
        Assert.True(pending.MarkDone(0));
        Assert.Null(pending.Lowest);
        Assert.Equal(0, pending.Count);

        pending.Add(10_000);
        Assert.Equal(10_000, pending.Lowest);
    }

    [Fact]
    public void An_offset_not_above_the_last_added_is_refused()
    {
        var pending = new PendingOffsets();
        pending.Add(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => pending.Add(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => pending.Add(4));
    }
}
