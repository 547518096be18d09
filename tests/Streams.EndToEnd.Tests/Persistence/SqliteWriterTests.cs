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
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = writer.Write(w =>
        {
            Insert(w, 1, "first");
            running.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        });
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        var queued = Enumerable.Range(2, 50).Select(k => writer.Write(w => Insert(w, k, "v" + k))).ToList();
        // The last one reads what the ones before it in the same transaction wrote.
        var seen = writer.Write(w =>
        {
            using var count = w.Command("SELECT COUNT(*) FROM t");
            return (long)count.ExecuteScalar()!;
        });
        release.Set();
        await first;
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
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = writer.Write(_ =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        });
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        var before = writer.Write(w => Insert(w, 1, "kept"));
        var failing = writer.Write(w =>
        {
            Insert(w, 2, "rolled back");
            Insert(w, 1, "a duplicate key");
        });
        var after = writer.Write(w => Insert(w, 3, "kept too"));
        release.Set();
        await blocker;

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
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = writer.Write(_ =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        });
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        var stored = writer.Write(w => Insert(w, 1, "in a transaction that fails"));
        // Ends the writer's transaction under it: its COMMIT fails.
        var breaking = writer.Write(w =>
        {
            using var rollback = w.Command("ROLLBACK");
            rollback.ExecuteNonQuery();
        });
        release.Set();
        await blocker;

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
