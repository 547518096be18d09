using Streams.Host.Composition;

namespace Streams.Deploy.Tests;

/// <summary>
/// Entity starts' reads on PostgreSQL go to the database together: one query at a time, the keys asked for meanwhile
/// as the next one, each caller with its own key's answer.
/// </summary>
public sealed class CombinedLookupsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_key_asked_alone_is_looked_up_at_once()
    {
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1);
        var answer = lookups.Get("a");
        Assert.Equal(["a"], Assert.Single(db.Queries));
        db.Answer(0, new() { ["a"] = 7 });
        Assert.Equal(7, await answer.WaitAsync(Wait));
    }

    [Fact]
    public async Task Keys_asked_while_a_query_runs_go_together_as_the_next_query_and_each_gets_its_own_answer()
    {
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1);
        var first = lookups.Get("a");
        var waiting = new[] { "b", "c", "d" }.Select(lookups.Get).ToList();
        Assert.Single(db.Queries); // b, c and d wait for a's query

        db.Answer(0, new() { ["a"] = 1 });
        await Eventually(() => db.Queries.Count == 2);
        Assert.Equal(["b", "c", "d"], db.Queries[1].Order());
        db.Answer(1, new() { ["b"] = 2, ["d"] = 4 });

        Assert.Equal(1, await first.WaitAsync(Wait));
        var answers = await Task.WhenAll(waiting).WaitAsync(Wait);
        Assert.Equal(new[] { 2, -1, 4 }, answers); // c not found: the absent value
        Assert.Equal(2, db.Queries.Count);
    }

    [Fact]
    public async Task A_key_asked_again_while_its_query_runs_is_read_again_by_the_next_query()
    {
        // The running query may have read before what the second caller waited for (a write of its own).
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1);
        var before = lookups.Get("a");
        var after = lookups.Get("a");
        Assert.Single(db.Queries);
        db.Answer(0, new() { ["a"] = 1 });
        await Eventually(() => db.Queries.Count == 2);
        db.Answer(1, new() { ["a"] = 2 });
        Assert.Equal(1, await before.WaitAsync(Wait));
        Assert.Equal(2, await after.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_key_asked_twice_before_its_query_starts_is_read_once()
    {
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1);
        _ = lookups.Get("x");
        var one = lookups.Get("a");
        var two = lookups.Get("a");
        db.Answer(0, []);
        await Eventually(() => db.Queries.Count == 2);
        Assert.Equal(["a"], db.Queries[1]);
        db.Answer(1, new() { ["a"] = 5 });
        var answers = await Task.WhenAll(one, two).WaitAsync(Wait);
        Assert.Equal(new[] { 5, 5 }, answers);
    }

    [Fact]
    public async Task A_failed_query_fails_its_callers_only_and_the_next_query_runs()
    {
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1);
        var failing = lookups.Get("a");
        var next = lookups.Get("b");
        db.Fail(0, new InvalidOperationException("connection lost"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Wait));
        Assert.Equal("connection lost", error.Message);

        await Eventually(() => db.Queries.Count == 2);
        db.Answer(1, new() { ["b"] = 3 });
        Assert.Equal(3, await next.WaitAsync(Wait));
        // Nothing is left running: a key asked now is looked up at once.
        var later = lookups.Get("c");
        Assert.Equal(3, db.Queries.Count);
        db.Answer(2, new() { ["c"] = 9 });
        Assert.Equal(9, await later.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_query_that_throws_before_it_starts_fails_its_callers_and_does_not_stop_the_lookups()
    {
        var calls = 0;
        var lookups = new CombinedLookups<string, int>(keys =>
        {
            if (++calls == 1) throw new InvalidOperationException("no connection");
            return Task.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(k => k, k => k.Length));
        }, -1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => lookups.Get("a").WaitAsync(Wait));
        Assert.Equal(3, await lookups.Get("abc").WaitAsync(Wait));
    }

    [Fact]
    public async Task A_query_holds_at_most_maxKeys_keys_and_the_rest_follow_in_the_order_they_were_asked()
    {
        var db = new GatedDatabase();
        var lookups = new CombinedLookups<string, int>(db.Lookup, -1, maxKeys: 2);
        var answers = new[] { "a", "b", "c", "d", "e" }.Select(lookups.Get).ToList();
        for (var query = 0; query < 3; query++)
        {
            await Eventually(() => db.Queries.Count == query + 1);
            db.Answer(query, db.Queries[query].ToDictionary(k => k, k => (int)k[0]));
        }
        Assert.Equal(new[] { new[] { "a" }, ["b", "c"], ["d", "e"] }, db.Queries.Select(q => q.Order().ToArray()));
        Assert.Equal(new[] { 'a', 'b', 'c', 'd', 'e' }.Select(c => (int)c), await Task.WhenAll(answers).WaitAsync(Wait));
    }

    [Fact]
    public async Task Many_callers_on_many_threads_each_get_their_own_keys_answer()
    {
        var queries = 0;
        var lookups = new CombinedLookups<int, int>(async keys =>
        {
            Interlocked.Increment(ref queries);
            await Task.Delay(1);
            return keys.ToDictionary(k => k, k => k * 10);
        }, -1, maxKeys: 50);
        var answers = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() => lookups.Get(i % 700)))).WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i % 700 * 10), answers);
        Assert.True(queries < 2000, $"{queries} queries for 2,000 lookups");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(5);
        }
    }

    /// <summary>A database whose queries finish when the test says so; records each query's keys.</summary>
    private sealed class GatedDatabase
    {
        private readonly List<TaskCompletionSource<IReadOnlyDictionary<string, int>>> _results = [];
        private readonly object _gate = new();

        public List<string[]> Queries { get; } = [];

        public Task<IReadOnlyDictionary<string, int>> Lookup(IReadOnlyCollection<string> keys)
        {
            var result = new TaskCompletionSource<IReadOnlyDictionary<string, int>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                Queries.Add([.. keys]);
                _results.Add(result);
            }
            return result.Task;
        }

        public void Answer(int query, Dictionary<string, int> found) => Result(query).SetResult(found);

        public void Fail(int query, Exception error) => Result(query).SetException(error);

        private TaskCompletionSource<IReadOnlyDictionary<string, int>> Result(int query)
        {
            lock (_gate) return _results[query];
        }
    }
}
