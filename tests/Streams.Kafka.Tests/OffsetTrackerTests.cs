using Confluent.Kafka;
using Streams.Actors.Kafka.Internal;

namespace Streams.Kafka.Tests;

public sealed class OffsetTrackerTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    [Fact]
    public void Nothing_done_commits_nothing()
    {
        var tracker = new OffsetTracker();
        var epoch = tracker.Assign(P0);
        tracker.Register(P0, epoch, 10);
        tracker.Register(P0, epoch, 11);

        Assert.Null(tracker.CommitPoint(P0));
        Assert.Empty(tracker.CommitPoints());
    }

    [Fact]
    public void An_offset_done_out_of_order_waits_for_the_earlier_ones()
    {
        var tracker = new OffsetTracker();
        var epoch = tracker.Assign(P0);
        for (var o = 0; o < 5; o++) tracker.Register(P0, epoch, o);

        tracker.MarkDone(P0, epoch, 0);
        tracker.MarkDone(P0, epoch, 1);
        tracker.MarkDone(P0, epoch, 3);
        Assert.Equal(2, tracker.CommitPoint(P0));

        tracker.MarkDone(P0, epoch, 2);
        Assert.Equal(4, tracker.CommitPoint(P0));

        tracker.MarkDone(P0, epoch, 4);
        Assert.Equal(5, tracker.CommitPoint(P0));
    }

    [Fact]
    public void Offsets_never_emitted_do_not_hold_a_partition_back()
    {
        var tracker = new OffsetTracker();
        var epoch = tracker.Assign(P0);
        tracker.Register(P0, epoch, 3); // 0..2 and 4..6 compacted away
        tracker.Register(P0, epoch, 7);

        tracker.MarkDone(P0, epoch, 7);
        Assert.Null(tracker.CommitPoint(P0));
        tracker.MarkDone(P0, epoch, 3);
        Assert.Equal(8, tracker.CommitPoint(P0));
    }

    [Fact]
    public void A_committed_point_is_not_committed_again()
    {
        var tracker = new OffsetTracker();
        var epoch = tracker.Assign(P0);
        tracker.Register(P0, epoch, 0);
        tracker.MarkDone(P0, epoch, 0);
        var points = tracker.CommitPoints();
        Assert.Equal([new TopicPartitionOffset(P0, 1)], points);

        tracker.Committed(points[0]);

        Assert.Empty(tracker.CommitPoints());
    }

    [Fact]
    public void Partitions_are_tracked_independently()
    {
        var tracker = new OffsetTracker();
        var e0 = tracker.Assign(P0);
        var e1 = tracker.Assign(P1);
        tracker.Register(P0, e0, 0);
        tracker.Register(P1, e1, 0);
        tracker.Register(P1, e1, 1);
        tracker.MarkDone(P1, e1, 0);

        Assert.Equal([new TopicPartitionOffset(P1, 1)], tracker.CommitPoints());
        Assert.Equal(2, tracker.InFlightCount);
    }

    [Fact]
    public void Handles_of_a_revoked_assignment_are_ignored_after_reassignment()
    {
        var tracker = new OffsetTracker();
        var old = tracker.Assign(P0);
        tracker.Register(P0, old, 5);
        tracker.Revoke(P0);
        Assert.Equal(0, tracker.InFlightCount);
        Assert.False(tracker.Register(P0, old, 6));

        var current = tracker.Assign(P0);
        Assert.NotEqual(old, current);
        tracker.Register(P0, current, 5);

        Assert.False(tracker.MarkDone(P0, old, 5));
        Assert.Null(tracker.CommitPoint(P0));
        Assert.True(tracker.MarkDone(P0, current, 5));
        Assert.Equal(6, tracker.CommitPoint(P0));
    }

    [Fact]
    public void Done_twice_or_never_registered_is_ignored()
    {
        var tracker = new OffsetTracker();
        var epoch = tracker.Assign(P0);
        tracker.Register(P0, epoch, 0);
        tracker.Register(P0, epoch, 1);

        Assert.True(tracker.MarkDone(P0, epoch, 1));
        Assert.False(tracker.MarkDone(P0, epoch, 1));
        Assert.False(tracker.MarkDone(P0, epoch, 42));
        Assert.Null(tracker.CommitPoint(P0));
    }

    /// <summary>
    /// Property: for any emitted offsets (with gaps) completed in any order, interleaved with commits, the commit
    /// point is always exactly the contiguous done prefix: the first offset not done, or last emitted + 1.
    /// </summary>
    [Fact]
    public void Any_completion_order_commits_exactly_the_contiguous_done_prefix()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var tracker = new OffsetTracker();
            var epoch = tracker.Assign(P0);
            var offsets = new List<long>();
            long next = random.Next(0, 1000);
            var count = random.Next(1, 60);
            for (var i = 0; i < count; i++)
            {
                offsets.Add(next);
                Assert.True(tracker.Register(P0, epoch, next));
                next += 1 + (random.Next(4) == 0 ? random.Next(1, 5) : 0); // occasional gaps
            }
            var order = offsets.OrderBy(_ => random.Next()).ToList();
            var done = new HashSet<long>();
            long committed = offsets[0];
            foreach (var offset in order)
            {
                Assert.True(tracker.MarkDone(P0, epoch, offset));
                done.Add(offset);

                var firstNotDone = offsets.FirstOrDefault(o => !done.Contains(o), -1);
                var expected = firstNotDone >= 0 ? firstNotDone : offsets[^1] + 1;
                var point = tracker.CommitPoint(P0);
                Assert.Equal(expected > committed ? expected : null, point);
                Assert.All(offsets.Where(o => o < (point ?? committed)), o => Assert.Contains(o, done));

                if (point is { } p && random.Next(3) == 0)
                {
                    tracker.Committed(new TopicPartitionOffset(P0, p));
                    committed = p;
                }
            }
            Assert.Equal(0, tracker.InFlightCount);
        }
    }
}
