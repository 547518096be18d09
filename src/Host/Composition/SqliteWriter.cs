using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

/// <summary>
/// The one connection that writes our plain statements to a SQLite database, shared by its journal and snapshot
/// store: the writes queued while a transaction runs go to the database together in the next one. SQLite lets one
/// connection write at a time; with a connection per writer, the snapshot store's saves and the journal's deletes
/// waited for the journal inserter's lock in SQLite's busy handler (sleeps of 1 to 100 ms), and a delete held the
/// journal actor's thread while it waited, in front of every write and recovery read.
/// </summary>
/// <remarks>
/// A write that throws fails alone: its transaction is rolled back and the other writes in it run again, each in a
/// transaction of its own. Savepoints would isolate them without a second run, but at a cost on every write
/// (statements of their own, and SQLite's copy of each page a write changes inside one), where a failure is rare. If
/// the transaction itself fails (BEGIN or COMMIT), every write in it fails and the connection is closed: the next
/// transaction opens a new one (<see cref="SqliteWrite.Connection"/> changes, so statements prepared on the old one are
/// prepared again). Writes run on the thread pool, one transaction at a time, in the order they were queued.
/// </remarks>
public sealed class SqliteWriter
{
    private static readonly Dictionary<string, (SqliteWriter Writer, int Users)> Shared = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private List<IQueuedWrite> _queued = [];
    private List<IQueuedWrite> _spare = [];
    private bool _draining;
    private Task _drain = Task.CompletedTask;
    private SqliteConnection? _connection;
    private readonly List<Action> _beforeClose = [];
    private long _transactions;

    public SqliteWriter(string connectionString) => _connectionString = connectionString;

    /// <summary>Transactions committed or attempted so far: fewer than writes when writes were queued together.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>The writer of <paramref name="connectionString"/>'s database, shared by everyone who acquired it and has not released it.</summary>
    public static SqliteWriter Acquire(string connectionString)
    {
        lock (Shared)
        {
            var (writer, users) = Shared.TryGetValue(connectionString, out var shared) ? shared : (new SqliteWriter(connectionString), 0);
            Shared[connectionString] = (writer, users + 1);
            return writer;
        }
    }

    /// <summary>The last user's release lets the queued writes finish (up to 10 s) and closes the connection.</summary>
    public void Release()
    {
        lock (Shared)
        {
            if (!Shared.TryGetValue(_connectionString, out var shared) || !ReferenceEquals(shared.Writer, this)) return;
            if (shared.Users > 1)
            {
                Shared[_connectionString] = (this, shared.Users - 1);
                return;
            }
            Shared.Remove(_connectionString);
        }
        Close();
    }

    /// <summary>
    /// <paramref name="forget"/> runs before the writer closes its connection (after a failed transaction, or at the
    /// last release): statements prepared on it are finalized there, on the writer's side, never beside a write.
    /// </summary>
    public void BeforeClose(Action forget)
    {
        lock (_gate) _beforeClose.Add(forget);
    }

    /// <summary>Undoes <see cref="BeforeClose"/>: a user done with the writer, while others still share it, is not called back.</summary>
    public void NoLongerBeforeClose(Action forget)
    {
        lock (_gate) _beforeClose.Remove(forget);
    }

    /// <summary>Queues <paramref name="write"/>; the task has its result once the transaction that holds it has committed.</summary>
    public Task<T> Write<T>(Func<SqliteWrite, T> write)
    {
        var queued = new QueuedWrite<T>(write);
        lock (_gate)
        {
            _queued.Add(queued);
            if (!_draining)
            {
                _draining = true;
                _drain = Task.Run(Drain);
            }
        }
        return queued.Done.Task;
    }

    public Task Write(Action<SqliteWrite> write) => Write(w =>
    {
        write(w);
        return true;
    });

    /// <summary>Waits (up to 10 s) for what is queued, then closes the connection.</summary>
    public void Close()
    {
        Task drain;
        lock (_gate) drain = _drain;
        try
        {
            drain.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Each write's caller has been told.
        }
        lock (_gate)
        {
            if (_draining) return; // still writing after 10 s: the connection stays with the drain
            CloseConnection();
        }
    }

    private void CloseConnection()
    {
        if (_connection is null) return;
        Action[] forgets;
        lock (_gate) forgets = _beforeClose.ToArray();
        foreach (var forget in forgets) forget();
        _connection.Dispose();
        _connection = null;
    }

    private void Drain()
    {
        while (true)
        {
            List<IQueuedWrite> batch;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _draining = false;
                    return;
                }
                batch = _queued;
                _queued = _spare;
                _spare = batch;
            }
            RunTogether(batch);
            batch.Clear();
        }
    }

    private void RunTogether(List<IQueuedWrite> batch)
    {
        if (TryCommit(batch, out var failedAt, out var failure))
        {
            foreach (var queued in batch) queued.Succeed();
            return;
        }
        if (failedAt < 0)
        {
            foreach (var queued in batch) queued.Fail(failure!);
            return;
        }
        // One write threw and the transaction was rolled back: it fails alone, the others go again, each on its own.
        batch[failedAt].Fail(failure!);
        for (var i = 0; i < batch.Count; i++)
        {
            if (i == failedAt) continue;
            if (TryCommit([batch[i]], out _, out var own)) batch[i].Succeed();
            else batch[i].Fail(own!);
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> in one transaction. False with <paramref name="failedAt"/> the write that threw (the
    /// transaction rolled back), or -1 if the transaction itself failed (the connection is closed then).
    /// </summary>
    private bool TryCommit(List<IQueuedWrite> batch, out int failedAt, out Exception? failure)
    {
        Interlocked.Increment(ref _transactions);
        failedAt = -1;
        failure = null;
        try
        {
            _connection ??= SqliteSql.Open(_connectionString);
            using var transaction = _connection.BeginTransaction(); // BEGIN IMMEDIATE: the lock first, through the busy handler
            var write = new SqliteWrite(_connection, transaction);
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    batch[i].Run(write);
                }
                catch (Exception e)
                {
                    failedAt = i;
                    failure = e;
                    return false; // the transaction rolls back as it is disposed
                }
            }
            transaction.Commit();
            return true;
        }
        catch (Exception e)
        {
            // A connection that failed mid-transaction is not trusted with the next one.
            CloseConnection();
            failedAt = -1;
            failure = e;
            return false;
        }
    }

    private interface IQueuedWrite
    {
        void Run(SqliteWrite write);
        void Succeed();
        void Fail(Exception failure);
    }

    private sealed class QueuedWrite<T>(Func<SqliteWrite, T> write) : IQueuedWrite
    {
        private T _result = default!;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteWrite w) => _result = write(w);

        public void Succeed() => Done.TrySetResult(_result);

        public void Fail(Exception failure) => Done.TrySetException(failure);
    }
}

/// <summary>The writer's connection and its open transaction, for one queued write.</summary>
public readonly record struct SqliteWrite(SqliteConnection Connection, SqliteTransaction Transaction)
{
    /// <summary>A command in the transaction (Microsoft.Data.Sqlite refuses one without it).</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}
