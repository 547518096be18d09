using FsCheck.Xunit;
using Streams.Actors.Entities;

namespace Streams.Actors.Tests;

public sealed class DueIndexTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Only_keys_that_are_due_are_taken_earliest_first()
    {
        var index = new DueIndex();
        index.Set("late", T.AddSeconds(30));
        index.Set("early", T.AddSeconds(10));
        index.Set("middle", T.AddSeconds(20));

        Assert.Equal(["early", "middle"], index.TakeDue(T.AddSeconds(20)));
        Assert.Equal(T.AddSeconds(30), index.Earliest);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Setting_a_key_again_moves_it_and_null_removes_it()
    {
        var index = new DueIndex();
        index.Set("a", T.AddSeconds(10));
        index.Set("a", T.AddSeconds(50));
        index.Set("b", T.AddSeconds(5));
        index.Set("b", null);

        Assert.Empty(index.TakeDue(T.AddSeconds(49)));
        Assert.Equal(["a"], index.TakeDue(T.AddSeconds(50)));
        Assert.Null(index.Earliest);
    }

    [Property]
    public bool Taking_everything_due_returns_exactly_the_keys_whose_last_due_time_has_passed(int[] dues, int now)
    {
        var index = new DueIndex();
        var expected = new Dictionary<string, int>();
        for (var i = 0; i < dues.Length; i++)
        {
            var key = "k" + (i % 7);
            index.Set(key, T.AddSeconds(dues[i]));
            expected[key] = dues[i];
        }
        var taken = index.TakeDue(T.AddSeconds(now));
        var want = expected.Where(e => e.Value <= now).OrderBy(e => e.Value).Select(e => e.Key).ToList();
        return taken.OrderBy(k => k).SequenceEqual(want.OrderBy(k => k))
               && taken.Select(k => expected[k]).SequenceEqual(taken.Select(k => expected[k]).OrderBy(d => d))
               && index.Count == expected.Count - want.Count;
    }

    [Fact]
    public void Peeking_names_the_earliest_due_key_and_leaves_it_in_the_index()
    {
        var index = new DueIndex();
        index.Set("late", T.AddSeconds(30));
        index.Set("early", T.AddSeconds(10));
        Assert.Null(index.PeekDue(T.AddSeconds(9)));
        Assert.Equal("early", index.PeekDue(T.AddSeconds(40)));
        Assert.Equal(2, index.Count);
    }
}
