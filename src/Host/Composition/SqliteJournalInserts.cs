using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;
using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's INSERT on SQLite: every row of a write through one prepared statement whose parameters are set anew
/// per row, in one transaction on one connection kept open. Rows are made by Akka.Persistence.Sql's own serializer,
/// into the table and columns of its configuration, so the plugin replays them as its own.
/// </summary>
/// <remarks>
/// The plugin's multi-row INSERT went through linq2db's bulk copy: per batch a new SQL text and a parameter object per
/// value, a fifth of every byte the node allocated in the backlog benchmark. One write runs at a time (the journal
/// hands the next one over only when this one is done), so one connection and one command are enough.
/// </remarks>
public sealed class SqliteJournalInserts : IDisposable
{
    private readonly string _connectionString;
    private readonly string _insertSql;
    private readonly bool _writerUuidColumn;
    private readonly ByteArrayJournalSerializer _serializer;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

    private SqliteJournalInserts(JournalConfig config, Akka.Serialization.Serialization serialization)
    {
        _connectionString = config.ConnectionString;
        _writerUuidColumn = config.TableConfig.EventJournalTable.UseWriterUuidColumn;
        // As the plugin: one writer id per journal instance, in every row it writes.
        _serializer = new ByteArrayJournalSerializer(config, serialization, config.PluginConfig.TagSeparator,
            _writerUuidColumn ? Guid.NewGuid().ToString("N") : null);
        var c = config.TableConfig.EventJournalTable.ColumnNames;
        List<string> columns = [c.Created, c.Deleted, c.PersistenceId, c.SequenceNumber, c.Message, c.Manifest, c.Identifier];
        if (_writerUuidColumn) columns.Add(c.WriterUuid);
        _insertSql = $"INSERT INTO {SqliteRecoveryReads.Quote(config.TableConfig.EventJournalTable.Name)} "
                     + $"({string.Join(", ", columns.Select(SqliteRecoveryReads.Quote))}) "
                     + $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
    }

    /// <summary>
    /// Null unless the journal is plain SQLite with tags in their own table and no event-manifest column (the
    /// configuration this host runs): anything else keeps the plugin's insert.
    /// </summary>
    public static SqliteJournalInserts? For(JournalConfig config, Akka.Serialization.Serialization serialization) =>
        SqliteRecoveryReads.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
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
        var serialized = _serializer.Serialize(writes, DateTime.UtcNow.Ticks);
        var rows = new List<JournalRow>(writes.Count);
        var rejections = ImmutableList.CreateBuilder<Exception>();
        foreach (var attempt in serialized)
        {
            if (attempt.Success.HasValue)
            {
                foreach (var row in attempt.Success.Value)
                {
                    if (row.TagArray is { Length: > 0 }) return null;
                    rows.Add(row);
                }
                rejections.Add(null!); // Akka's answer for a stored write
            }
            else rejections.Add(attempt.Failure.Value);
        }
        var answer = (IImmutableList<Exception>)rejections.ToImmutable();
        if (rows.Count == 0) return Task.FromResult(answer);
        return Task.Run(() =>
        {
            Insert(rows);
            return answer;
        });
    }

    private void Insert(List<JournalRow> rows)
    {
        try
        {
            var insert = Prepared();
            using var transaction = _connection!.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var row in rows)
            {
                var p = insert.Parameters;
                p[0].Value = row.Timestamp;
                p[1].Value = row.Deleted;
                p[2].Value = row.PersistenceId;
                p[3].Value = row.SequenceNumber;
                p[4].Value = row.Message;
                p[5].Value = (object?)row.Manifest ?? DBNull.Value;
                p[6].Value = (object?)row.Identifier ?? DBNull.Value;
                if (_writerUuidColumn) p[7].Value = (object?)row.WriterUuid ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        catch
        {
            // A connection that failed mid-transaction is not trusted with the next write.
            Close();
            throw;
        }
    }

    private SqliteCommand Prepared()
    {
        if (_insert is not null) return _insert;
        _connection = new SqliteConnection(_connectionString);
        _connection.Open();
        var insert = _connection.CreateCommand();
        insert.CommandText = _insertSql;
        for (var i = 0; i < (_writerUuidColumn ? 8 : 7); i++) insert.Parameters.Add(new SqliteParameter("$p" + i, null));
        insert.Prepare();
        return _insert = insert;
    }

    private void Close()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        _insert = null;
        _connection = null;
    }

    public void Dispose() => Close();
}
