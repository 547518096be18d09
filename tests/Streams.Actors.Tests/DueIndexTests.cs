using FsCheck.Xunit;
using Streams.Actors.Entities;

namespace Streams.Actors.Tests;

public sealed class DueIndexTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;

    private sealed class Item(string key) : DueItem(key);

    /// <summary>An index whose items are named by strings, as a municipality's members are by their subject key.</summary>
    private sealed class Named
    {
        private readonly DueIndex<Item> _index = new();
        private readonly Dictionary<string, Item> _items = new();

        private Item Of(string key) => _items.TryGetValue(key, out var item) ? item : _items[key] = new Item(key);

        public int Count => _index.Count;
        public DateTimeOffset? NextCheck => _index.NextCheck;
        public void Set(string key, DateTimeOffset? due) => _index.Set(Of(key), due);
        public DateTimeOffset? DueOf(string key) => Of(key).DueAt;
        public string? PeekDue(DateTimeOffset now) => _index.PeekDue(now)?.Key;
        public IReadOnlyList<string> TakeDue(DateTimeOffset now) => [.. _index.TakeDue(now).Select(item => item.Key)];
    }

    [Fact]
    public void Only_keys_that_are_due_are_taken_earliest_first()
    {
        var index = new Named();
        index.Set("late", T.AddSeconds(30));
        index.Set("early", T.AddSeconds(10));
        index.Set("middle", T.AddSeconds(20));

        Assert.Equal(["early", "middle"], index.TakeDue(T.AddSeconds(20)));
        Assert.Equal(T.AddSeconds(30), index.NextCheck);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Setting_a_key_again_moves_it_and_null_removes_it()
    {
        var index = new Named();
        index.Set("a", T.AddSeconds(10));
        index.Set("a", T.AddSeconds(50));
        index.Set("b", T.AddSeconds(5));
        index.Set("b", null);

        Assert.Empty(index.TakeDue(T.AddSeconds(49)));
        Assert.Equal(["a"], index.TakeDue(T.AddSeconds(50)));
        Assert.Null(index.NextCheck);
    }

    [Property]
    public bool Taking_everything_due_returns_exactly_the_keys_whose_last_due_time_has_passed(int[] dues, int now)
    {
        var index = new Named();
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
        var index = new Named();
        index.Set("late", T.AddSeconds(30));
        index.Set("early", T.AddSeconds(10));
        Assert.Null(index.PeekDue(T.AddSeconds(9)));
        Assert.Equal("early", index.PeekDue(T.AddSeconds(40)));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void A_key_moved_later_is_not_due_at_its_earlier_time_and_is_due_at_its_later_one()
    {
        var index = new Named();
        index.Set("moved", T.AddSeconds(10));
        index.Set("other", T.AddSeconds(20));
        index.Set("moved", T.AddSeconds(30));

        // The next check is still the moved key's old time; a look then finds nothing due and moves it to its place.
        Assert.Equal(T.AddSeconds(10), index.NextCheck);
        Assert.Null(index.PeekDue(T.AddSeconds(10)));
        Assert.Equal(T.AddSeconds(20), index.NextCheck);
        Assert.Equal("other", index.PeekDue(T.AddSeconds(25)));
        Assert.Equal(["other"], index.TakeDue(T.AddSeconds(25)));
        Assert.Equal(T.AddSeconds(30), index.DueOf("moved"));
        Assert.Equal(["moved"], index.TakeDue(T.AddSeconds(30)));
        Assert.Equal(0, index.Count);
    }

    /// <summary>
    /// Any sequence of sets, peeks and takes answers as a plain map from key to due time would; the next check is never
    /// later than the earliest due time, and a look at it either finds a key due or moves the next check later.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool Every_answer_equals_that_of_a_plain_map_of_due_times((byte Key, sbyte Due, byte Op)[] steps)
    {
        var index = new Named();
        var model = new Dictionary<string, DateTimeOffset>();
        foreach (var (keyByte, dueByte, op) in steps)
        {
            var key = "k" + keyByte % 9;
            var at = T.AddSeconds(dueByte);
            switch (op % 6)
            {
                case 0 or 1:
                    index.Set(key, at);
                    model[key] = at;
                    break;
                case 2:
                    index.Set(key, null);
                    model.Remove(key);
                    break;
                case 3:
                    var expectedPeek = model.Where(e => e.Value <= at).OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
                        .Select(e => e.Key).FirstOrDefault();
                    if (index.PeekDue(at) != expectedPeek) return false;
                    break;
                case 4:
                    if (index.NextCheck is { } next && index.PeekDue(next) is null && index.NextCheck <= next) return false;
                    break;
                default:
                    var expectedTaken = model.Where(e => e.Value <= at).OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
                        .Select(e => e.Key).ToList();
                    if (!index.TakeDue(at).SequenceEqual(expectedTaken)) return false;
                    foreach (var taken in expectedTaken) model.Remove(taken);
                    break;
            }
            var earliest = model.Count == 0 ? (DateTimeOffset?)null : model.Values.Min();
            if ((index.NextCheck is null) != (earliest is null) || index.NextCheck > earliest || index.Count != model.Count || index.DueOf(key) != (model.TryGetValue(key, out var d) ? d : (DateTimeOffset?)null))
                return false;
        }
        return true;
    }
}
