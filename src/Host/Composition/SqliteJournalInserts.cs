using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;
using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's INSERT on SQLite: the rows of a write through two prepared statements (chunks of
/// <see cref="RowsPerStatement"/> rows, then single rows) whose parameters are set anew, in one transaction on one
/// connection kept open. Rows are made by Akka.Persistence.Sql's own serializer,
/// into the table and columns of its configuration, so the plugin replays them as its own.
/// </summary>
/// <remarks>
/// The plugin's multi-row INSERT went through linq2db's bulk copy: per batch a new SQL text with every payload written
/// into it as a hex literal, 29 % of every byte the node allocated in the backlog benchmark (22 % with linq2db's
/// parameters instead). One write runs at a time (the journal hands the next one over only when this one is done), so
/// one connection and its two commands are enough.
/// </remarks>
public sealed class SqliteJournalInserts : IDisposable
{
    /// <summary>Rows per statement: each execution costs a reader and a step, so full chunks go in one statement.</summary>
    public const int RowsPerStatement = 32;

    private readonly string _connectionString;
    private readonly string _table;
    private readonly List<string> _columns;
    private readonly bool _writerUuidColumn;
    private readonly ByteArrayJournalSerializer _serializer;
    private SqliteConnection? _connection;
    private SqliteCommand? _oneRow;
    private SqliteCommand? _fullChunk;
    private Task? _running;

    private SqliteJournalInserts(JournalConfig config, Akka.Serialization.Serialization serialization)
    {
        _connectionString = config.ConnectionString;
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
    public static SqliteJournalInserts? For(JournalConfig config, Akka.Serialization.Serialization serialization) =>
        SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
        && config.PluginConfig.TagMode == TagMode.TagTable
        && !config.TableConfig.UseEventManifestColumn
        && !config.DaoConfig.SqlCommonCompatibilityMode
            ? new SqliteJournalInserts(config, serialization)
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
        var write = Task.Run(() =>
        {
            Insert(batch.Rows);
            return batch.Answer;
        });
        _running = write;
        return write;
    }

    private void Insert(IReadOnlyList<JournalRow> rows)
    {
        try
        {
            if (_connection is null) Open();
            using var transaction = _connection!.BeginTransaction();
            var next = 0;
            for (; rows.Count - next >= RowsPerStatement; next += RowsPerStatement) Execute(_fullChunk!, transaction, rows, next, RowsPerStatement);
            for (; next < rows.Count; next++) Execute(_oneRow!, transaction, rows, next, 1);
            transaction.Commit();
        }
        catch
        {
            // A connection that failed mid-transaction is not trusted with the next write.
            Close();
            throw;
        }
    }

    private void Execute(SqliteCommand insert, SqliteTransaction transaction, IReadOnlyList<JournalRow> rows, int from, int count)
    {
        insert.Transaction = transaction;
        var p = insert.Parameters;
        for (var r = 0; r < count; r++)
        {
            var row = rows[from + r];
            var at = r * _columns.Count;
            p[at].Value = row.Timestamp;
            p[at + 1].Value = row.Deleted;
            p[at + 2].Value = row.PersistenceId;
            p[at + 3].Value = row.SequenceNumber;
            p[at + 4].Value = row.Message;
            p[at + 5].Value = (object?)row.Manifest ?? DBNull.Value;
            p[at + 6].Value = (object?)row.Identifier ?? DBNull.Value;
            if (_writerUuidColumn) p[at + 7].Value = (object?)row.WriterUuid ?? DBNull.Value;
        }
        insert.ExecuteNonQuery();
    }

    private void Open()
    {
        _connection = SqliteSql.Open(_connectionString);
        _oneRow = Prepare(1);
        _fullChunk = Prepare(RowsPerStatement);
    }

    /// <summary>INSERT … VALUES (…), (…) for <paramref name="rows"/> rows; the rows' values keep the order of the statement.</summary>
    private SqliteCommand Prepare(int rows)
    {
        var insert = _connection!.CreateCommand();
        var values = Enumerable.Range(0, rows)
            .Select(r => "(" + string.Join(", ", _columns.Select((_, c) => $"$p{r * _columns.Count + c}")) + ")");
        insert.CommandText = $"INSERT INTO {_table} ({string.Join(", ", _columns.Select(SqlNames.Quote))}) VALUES {string.Join(", ", values)}";
        for (var i = 0; i < rows * _columns.Count; i++) insert.Parameters.Add(new SqliteParameter("$p" + i, null));
        insert.Prepare();
        return insert;
    }

    private void Close()
    {
        _oneRow?.Dispose();
        _fullChunk?.Dispose();
        _connection?.Dispose();
        _oneRow = null;
        _fullChunk = null;
        _connection = null;
    }

    /// <summary>Lets a write still running commit (or fail) before the connection goes.</summary>
    public void Dispose()
    {
        try
        {
            _running?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Its caller has been told.
        }
        Close();
    }
}
