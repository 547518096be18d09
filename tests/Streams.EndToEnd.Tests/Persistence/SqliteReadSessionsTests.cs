using Microsoft.Data.Sqlite;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The entity starts' read sessions: kept open and prepared, one read at a time each, and a failed one not reused.</summary>
public sealed class SqliteReadSessionsTests : IDisposable
{
    private static readonly string[] ById = ["$id"];
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"streams-sessions-{Guid.NewGuid():N}.db");
    private readonly string _connection;

    public SqliteReadSessionsTests()
    {
        _connection = $"Data Source={_file}";
        using var setup = SqliteSql.Open(_connection);
        using var create = setup.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');";
        create.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private static string? Value(SqliteReadSessions sessions, long id) =>
        sessions.Read("SELECT v FROM t WHERE id = $id", ById, id, static (command, id) =>
        {
            command.Parameters[0].Value = id;
            return command.ExecuteScalar() as string;
        });

    [Fact]
    public async Task Reads_at_once_each_get_a_session_of_their_own_and_at_most_MaxIdle_stay_open()
    {
        using var sessions = new SqliteReadSessions(_connection);
        using var together = new Barrier(3 * SqliteReadSessions.MaxIdle);

        var reads = Enumerable.Range(0, 3 * SqliteReadSessions.MaxIdle).Select(i => Task.Run(() => sessions.Read(
            "SELECT v FROM t WHERE id = $id", ById, i % 2 + 1L, (command, id) =>
            {
                command.Parameters[0].Value = id;
                var value = command.ExecuteScalar() as string;
                together.SignalAndWait(TimeSpan.FromSeconds(30)); // all of them hold a session now
                return value;
            })));

        var values = await Task.WhenAll(reads);
        Assert.Equal(3 * SqliteReadSessions.MaxIdle / 2, values.Count(v => v == "one"));
        Assert.Equal(3 * SqliteReadSessions.MaxIdle / 2, values.Count(v => v == "two"));
        Assert.Equal(SqliteReadSessions.MaxIdle, sessions.Idle);
        Assert.Equal("two", Value(sessions, 2));
        Assert.Equal(SqliteReadSessions.MaxIdle, sessions.Idle);
    }

    [Fact]
    public void A_session_whose_read_failed_is_closed_and_the_next_read_gets_a_good_one()
    {
        using var sessions = new SqliteReadSessions(_connection);
        Assert.Equal("one", Value(sessions, 1));
        Assert.Equal(1, sessions.Idle);

        Assert.Throws<SqliteException>(() => sessions.Read("SELECT v FROM missing WHERE id = $id", ById, 1L, static (command, id) =>
        {
            command.Parameters[0].Value = id;
            return command.ExecuteScalar();
        }));

        Assert.Equal(0, sessions.Idle);
        Assert.Equal("two", Value(sessions, 2));
        Assert.Equal(1, sessions.Idle);
    }

    [Fact]
    public void A_disposed_pool_closes_its_sessions_and_refuses_reads()
    {
        var sessions = new SqliteReadSessions(_connection);
        Assert.Equal("one", Value(sessions, 1));

        sessions.Dispose();

        Assert.Equal(0, sessions.Idle);
        Assert.Throws<ObjectDisposedException>(() => Value(sessions, 1));
    }
}
