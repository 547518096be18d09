using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's INSERT on SQLite: the rows of a write through two prepared statements (chunks of
/// <see cref="RowsPerStatement"/> rows, then single rows) whose parameters are bound anew, in one transaction of the
/// database's <see cref="SqliteWriter"/>. Rows are made by Akka.Persistence.Sql's own serializer, into the table and
/// columns of its configuration, so the plugin replays them as its own.
/// </summary>
/// <remarks>
/// The plugin's multi-row INSERT went through linq2db's bulk copy: per batch a new SQL text with every payload written
/// into it as a hex literal, 29 % of every byte the node allocated in the backlog benchmark (22 % with linq2db's
/// parameters instead). The statements are SQLite's own, prepared once per writer connection and bound by position:
/// through <see cref="SqliteCommand"/> every value of every row was looked up by its parameter name (the name
/// converted to UTF-8 each time), boxed, and given a binder object.
/// </remarks>
public sealed class SqliteJournalInserts
{
    /// <summary>Rows per statement: each execution costs a reader and a step, so full chunks go in one statement.</summary>
    public const int RowsPerStatement = 32;

    private readonly string _table;
    private readonly List<string> _columns;
    private readonly bool _writerUuidColumn;
    private readonly ByteArrayJournalSerializer _serializer;
    private readonly SqliteWriter _writer;
    private readonly Action _forget;
    // The statements, and the writer connection they were prepared on; only the writer's transactions touch them.
    private SqliteConnection? _preparedOn;
    private sqlite3_stmt? _oneRow;
    private sqlite3_stmt? _fullChunk;

    private SqliteJournalInserts(JournalConfig config, Akka.Serialization.Serialization serialization, SqliteWriter writer)
    {
        _writer = writer;
        _forget = Forget;
        writer.BeforeClose(_forget);
        _writerUuidColumn = config.TableConfig.EventJournalTable.UseWriterUuidColumn;
        // As the plugin: one writer id per journal instance, in every row it writes.
        _serializer = new ByteArrayJournalSerializer(config, serialization, config.PluginConfig.TagSeparator,
            _writerUuidColumn ? Guid.NewGuid().ToString("N") : null);
        var c = config.TableConfig.EventJournalTable.ColumnNames;
        _columns = [c.Created, c.Deleted, c.PersistenceId, c.SequenceNumber, c.Message, c.Manifest, c.Identifier];
        if (_writerUuidColumn) _columns.Add(c.WriterUuid);
        _table = SqlNames.Quote(config.TableConfig.EventJournalTable.Name);
    }

    /// <summary>
    /// Null unless the journal is plain SQLite with tags in their own table and no event-manifest column (the
    /// configuration this host runs): anything else keeps the plugin's insert.
    /// </summary>
    public static SqliteJournalInserts? For(JournalConfig config, Akka.Serialization.Serialization serialization, SqliteWriter writer) =>
        SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
        && config.PluginConfig.TagMode == TagMode.TagTable
        && !config.TableConfig.UseEventManifestColumn
        && !config.DaoConfig.SqlCommonCompatibilityMode
            ? new SqliteJournalInserts(config, serialization, writer)
            : null;

    /// <summary>
    /// Serializes <paramref name="writes"/> now, on the caller's thread; null if a row carries tags (those need the
    /// plugin's tag table). The task stores every row that serialized in one transaction and answers, per atomic
    /// write, null (stored) or the serialization failure that rejected it; it fails as a whole if the transaction does.
    /// </summary>
    public Task<IImmutableList<Exception>>? TryWrite(IReadOnlyList<AtomicWrite> writes)
    {
        if (JournalRowBatch.Serialize(_serializer, writes) is not { } batch) return null;
        if (batch.Rows.Count == 0) return Task.FromResult(batch.Answer);
        return _writer.Write(write =>
        {
            Insert(write.Connection, batch.Rows);
            return batch.Answer;
        });
    }

    private void Insert(SqliteConnection connection, IReadOnlyList<JournalRow> rows)
    {
        if (!ReferenceEquals(connection, _preparedOn)) Prepare(connection);
        var next = 0;
        for (; rows.Count - next >= RowsPerStatement; next += RowsPerStatement) Execute(connection, _fullChunk!, rows, next, RowsPerStatement);
        for (; next < rows.Count; next++) Execute(connection, _oneRow!, rows, next, 1);
    }

    /// <summary>Binds the rows by position (1-based, in the statement's order) and runs the statement once.</summary>
    private void Execute(SqliteConnection connection, sqlite3_stmt insert, IReadOnlyList<JournalRow> rows, int from, int count)
    {
        var db = connection.Handle!;
        try
        {
            for (var r = 0; r < count; r++)
            {
                var row = rows[from + r];
                var at = r * _columns.Count + 1;
                Bound(db, raw.sqlite3_bind_int64(insert, at, row.Timestamp));
                Bound(db, raw.sqlite3_bind_int(insert, at + 1, row.Deleted ? 1 : 0));
                Bound(db, raw.sqlite3_bind_text(insert, at + 2, row.PersistenceId));
                Bound(db, raw.sqlite3_bind_int64(insert, at + 3, row.SequenceNumber));
                // An empty span would bind NULL, not an empty blob.
                Bound(db, row.Message.Length == 0 ? raw.sqlite3_bind_zeroblob(insert, at + 4, 0) : raw.sqlite3_bind_blob(insert, at + 4, row.Message));
                Bound(db, row.Manifest is { } manifest ? raw.sqlite3_bind_text(insert, at + 5, manifest) : raw.sqlite3_bind_null(insert, at + 5));
                Bound(db, row.Identifier is { } identifier ? raw.sqlite3_bind_int64(insert, at + 6, identifier) : raw.sqlite3_bind_null(insert, at + 6));
                if (_writerUuidColumn)
                    Bound(db, row.WriterUuid is { } writer ? raw.sqlite3_bind_text(insert, at + 7, writer) : raw.sqlite3_bind_null(insert, at + 7));
            }

            var rc = raw.sqlite3_step(insert);
            if (rc != raw.SQLITE_DONE) Fail(db, rc, "INSERT");
        }
        finally
        {
            raw.sqlite3_reset(insert);
        }
    }

    private static void Bound(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) Fail(db, rc, "binding a value");
    }

    /// <summary>SQLite's own error for <paramref name="rc"/>, or (for a result that is not an error) ours.</summary>
    private static void Fail(sqlite3 db, int rc, string what)
    {
        SqliteException.ThrowExceptionForRC(rc, db);
        throw new SqliteException($"{what}: unexpected SQLite result {rc}", rc);
    }

    /// <summary>
    /// The journal is done with these inserts (it stopped) while the writer may stay with the snapshot store: the
    /// statements are finalized on the writer's side, after the writes queued before, and the writer forgets them.
    /// If that transaction fails, the writer's close finalizes them, as before.
    /// </summary>
    public Task Retire() => _writer.Write(_ =>
    {
        Forget();
        _writer.NoLongerBeforeClose(_forget);
    });

    /// <summary>Prepares the statements on <paramref name="connection"/> (the writer's, new after a failed transaction).</summary>
    private void Prepare(SqliteConnection connection)
    {
        Forget();
        _oneRow = Prepare(connection, 1);
        _fullChunk = Prepare(connection, RowsPerStatement);
        _preparedOn = connection;
    }

    private void Forget()
    {
        _oneRow?.Dispose();
        _fullChunk?.Dispose();
        _oneRow = _fullChunk = null;
        _preparedOn = null;
    }

    /// <summary>INSERT … VALUES (…), (…) for <paramref name="rows"/> rows; the rows' values keep the order of the statement.</summary>
    private sqlite3_stmt Prepare(SqliteConnection connection, int rows)
    {
        var values = Enumerable.Range(0, rows).Select(_ => "(" + string.Join(", ", _columns.Select(_ => "?")) + ")");
        var sql = $"INSERT INTO {_table} ({string.Join(", ", _columns.Select(SqlNames.Quote))}) VALUES {string.Join(", ", values)}";
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            Fail(db, rc, "preparing the journal INSERT");
        }
        return statement!;
    }
}
