using Microsoft.Data.Sqlite;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The one writer per SQLite database (<see cref="SqliteWriter"/>): writes queued together share a transaction, and each fails alone.</summary>
public sealed class SqliteWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streams-writer-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _database;

    public SqliteWriterTests()
    {
        Directory.CreateDirectory(_dir);
        _database = $"Data Source={Path.Combine(_dir, "writer.db")}";
        SqliteTuning.UseWriteAheadLog(_database);
        Execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Writes_queued_while_a_transaction_runs_commit_together_in_the_next_one_in_their_order()
    {
        var writer = new SqliteWriter(_database);
        using var first = Held.Write(writer, w => Insert(w, 1, "first"));
        var queued = Enumerable.Range(2, 50).Select(k => writer.Write(w => Insert(w, k, "v" + k))).ToList();
        // The last one reads what the ones before it in the same transaction wrote.
        var seen = writer.Write(w =>
        {
            using var count = w.Command("SELECT COUNT(*) FROM t");
            return (long)count.ExecuteScalar()!;
        });
        await first.Let();
        await Task.WhenAll(queued);

        Assert.Equal(51L, await seen);
        Assert.Equal(2L, writer.Transactions);
        Assert.Equal(51L, Scalar("SELECT COUNT(*) FROM t"));
        writer.Close();
    }

    [Fact]
    public async Task A_write_that_throws_fails_alone_and_leaves_none_of_its_rows()
    {
        var writer = new SqliteWriter(_database);
        using var blocker = Held.Write(writer, _ => { });
        var before = writer.Write(w => Insert(w, 1, "kept"));
        var failing = writer.Write(w =>
        {
            Insert(w, 2, "rolled back");
            Insert(w, 1, "a duplicate key");
        });
        var after = writer.Write(w => Insert(w, 3, "kept too"));
        await blocker.Let();

        await before;
        await Assert.ThrowsAsync<SqliteException>(() => failing);
        await after;
        // The blocker's, the one rolled back, and one each for the two that ran again.
        Assert.Equal(4L, writer.Transactions);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM t WHERE k = 2"));
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM t"));
        writer.Close();
    }

    [Fact]
    public async Task A_transaction_that_cannot_commit_fails_every_write_in_it_and_the_next_one_writes_on_a_new_connection()
    {
        var writer = new SqliteWriter(_database);
        var forgotten = 0;
        writer.BeforeClose(() => forgotten++);
        SqliteConnection? firstConnection = null;
        await writer.Write(w => { firstConnection = w.Connection; });
        using var blocker = Held.Write(writer, _ => { });
        var stored = writer.Write(w => Insert(w, 1, "in a transaction that fails"));
        // Ends the writer's transaction under it: its COMMIT fails.
        var breaking = writer.Write(w =>
        {
            using var rollback = w.Command("ROLLBACK");
            rollback.ExecuteNonQuery();
        });
        await blocker.Let();

        await Assert.ThrowsAnyAsync<Exception>(() => stored);
        await Assert.ThrowsAnyAsync<Exception>(() => breaking);
        Assert.Equal(1, forgotten);
        SqliteConnection? nextConnection = null;
        await writer.Write(w =>
        {
            nextConnection = w.Connection;
            Insert(w, 2, "next");
        });
        Assert.NotSame(firstConnection, nextConnection);
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM t"));
        writer.Close();
    }

    [Fact]
    public void The_writer_of_a_database_is_shared_until_its_last_user_releases_it()
    {
        var journal = SqliteWriter.Acquire(_database);
        var snapshots = SqliteWriter.Acquire(_database);
        Assert.Same(journal, snapshots);
        journal.Release();
        Assert.Same(snapshots, SqliteWriter.Acquire(_database));
        snapshots.Release();
        snapshots.Release();
        var next = SqliteWriter.Acquire(_database);
        Assert.NotSame(journal, next);
        next.Release();
    }

    [Fact]
    public async Task A_user_done_with_the_writer_is_not_called_back_when_it_closes()
    {
        var writer = new SqliteWriter(_database);
        var (retired, staying) = (0, 0);
        Action retiredForget = () => retired++;
        writer.BeforeClose(retiredForget);
        writer.BeforeClose(() => staying++);
        await writer.Write(w => Insert(w, 1, "opens the connection"));

        writer.NoLongerBeforeClose(retiredForget);
        writer.Close();

        Assert.Equal((0, 1), (retired, staying));
    }

    /// <summary>A write that holds the writer's transaction until <see cref="Let"/>, so that the writes queued meanwhile go together.</summary>
    private sealed class Held : IDisposable
    {
        private readonly ManualResetEventSlim _running = new();
        private readonly ManualResetEventSlim _release = new();
        private Task _done = Task.CompletedTask;

        public static Held Write(SqliteWriter writer, Action<SqliteWrite> write)
        {
            var held = new Held();
            held._done = writer.Write(w =>
            {
                write(w);
                held._running.Set();
                held._release.Wait(TimeSpan.FromSeconds(10));
            });
            Assert.True(held._running.Wait(TimeSpan.FromSeconds(10)), "the held write never ran");
            return held;
        }

        public Task Let()
        {
            _release.Set();
            return _done;
        }

        public void Dispose()
        {
            _release.Set();
            _running.Dispose();
            _release.Dispose();
        }
    }

    private static void Insert(SqliteWrite write, long key, string value)
    {
        using var insert = write.Command("INSERT INTO t (k, v) VALUES ($k, $v)");
        insert.Parameters.AddWithValue("$k", key);
        insert.Parameters.AddWithValue("$v", value);
        insert.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var connection = SqliteSql.Open(_database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = SqliteSql.Open(_database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
