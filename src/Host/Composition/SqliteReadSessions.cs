using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

/// <summary>
/// Open connections for the plain reads of entity starts, each keeping its commands prepared. Every start reads its
/// highest sequence number and asks for a snapshot; through a connection opened for each read, every one of them took
/// the pool's lock, set the busy timeout, and prepared its statement again. A session serves one read at a time; as
/// many exist as reads ran at once, and at most <see cref="MaxIdle"/> wait idle.
/// </summary>
public sealed class SqliteReadSessions(string connectionString) : IDisposable
{
    public const int MaxIdle = 8;

    private readonly ConcurrentBag<Session> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Sessions waiting for the next read.</summary>
    public int Idle => Volatile.Read(ref _idleCount);

    /// <summary>
    /// Runs <paramref name="read"/> with a prepared command for <paramref name="sql"/> whose parameters are named
    /// <paramref name="parameters"/> (their values are set by <paramref name="read"/>). A session whose read failed is
    /// closed, not reused.
    /// </summary>
    public T Read<TState, T>(string sql, string[] parameters, TState state, Func<SqliteCommand, TState, T> read)
    {
        var session = Take();
        T result;
        try
        {
            result = read(session.Command(sql, parameters), state);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        Return(session);
        return result;
    }

    private Session Take()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }

        return new Session(SqliteSql.Open(connectionString));
    }

    private void Return(Session session)
    {
        if (Interlocked.Increment(ref _idleCount) > MaxIdle || _disposed)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
            return;
        }

        _idle.Add(session);
        if (_disposed) CloseIdle(); // Dispose ran meanwhile and may have missed this one
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
        }
    }

    private sealed class Session(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteCommand Command(string sql, string[] parameters)
        {
            if (_commands.TryGetValue(sql, out var command))
                return command;
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, null));
            command.Prepare();
            _commands[sql] = command;
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values) command.Dispose();
            connection.Dispose();
        }
    }
}
