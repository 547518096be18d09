using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;
using Npgsql;
using NpgsqlTypes;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's INSERT on PostgreSQL: the rows of a (combined) write as one binary <c>COPY … FROM STDIN</c>, one
/// statement and so all or nothing. Rows are made by Akka.Persistence.Sql's own serializer, into the table and columns
/// of its configuration, so the plugin replays them as its own.
/// </summary>
/// <remarks>
/// Through the plugin a batch was a linq2db multi-row INSERT with every payload written into the SQL text as a hex
/// literal: 120 KiB allocated per reading in the <c>postgres</c> benchmark against SQLite's 27 KiB.
/// </remarks>
public sealed class PostgresJournalInserts
{
    private readonly string _connectionString;
    private readonly string _copySql;
    private readonly bool _writerUuidColumn;
    private readonly ByteArrayJournalSerializer _serializer;

    private PostgresJournalInserts(JournalConfig config, Akka.Serialization.Serialization serialization, string table)
    {
        _connectionString = config.ConnectionString;
        _writerUuidColumn = config.TableConfig.EventJournalTable.UseWriterUuidColumn;
        // As the plugin: one writer id per journal instance, in every row it writes.
        _serializer = new ByteArrayJournalSerializer(config, serialization, config.PluginConfig.TagSeparator,
            _writerUuidColumn ? Guid.NewGuid().ToString("N") : null);
        var c = config.TableConfig.EventJournalTable.ColumnNames;
        List<string> columns = [c.Created, c.Deleted, c.PersistenceId, c.SequenceNumber, c.Message, c.Manifest, c.Identifier];
        if (_writerUuidColumn) columns.Add(c.WriterUuid);
        _copySql = $"COPY {table} ({string.Join(", ", columns.Select(SqlNames.Quote))}) FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>
    /// Null unless the journal is PostgreSQL in the plugin's native mode with tags in their own table and no
    /// event-manifest column (the configuration this host runs): anything else keeps the plugin's insert.
    /// </summary>
    public static PostgresJournalInserts? For(JournalConfig config, Akka.Serialization.Serialization serialization) =>
        PostgresJournalReads.IsPlainPostgres(config)
        && config.PluginConfig.TagMode == TagMode.TagTable
        && !config.TableConfig.UseEventManifestColumn
            ? new PostgresJournalInserts(config, serialization, PostgresJournalReads.JournalTable(config))
            : null;

    /// <summary>
    /// Serializes <paramref name="writes"/> now, on the caller's thread; null if a row carries tags (those need the
    /// plugin's tag table). The task stores every row that serialized in one statement and answers, per atomic write,
    /// null (stored) or the serialization failure that rejected it; it fails as a whole if the statement does.
    /// </summary>
    public Task<IImmutableList<Exception>>? TryWrite(IReadOnlyList<AtomicWrite> writes)
    {
        if (JournalRowBatch.Serialize(_serializer, writes) is not { } batch) return null;
        return batch.Rows.Count == 0 ? Task.FromResult(batch.Answer) : Copy(batch);
    }

    private async Task<IImmutableList<Exception>> Copy(JournalRowBatch batch)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        // Disposed without CompleteAsync (a failure half-way), the COPY is cancelled and stores nothing.
        await using var copy = await connection.BeginBinaryImportAsync(_copySql).ConfigureAwait(false);
        foreach (var row in batch.Rows) await WriteRow(copy, row).ConfigureAwait(false);
        await copy.CompleteAsync().ConfigureAwait(false);
        return batch.Answer;
    }

    private async Task WriteRow(NpgsqlBinaryImporter copy, JournalRow row)
    {
        await copy.StartRowAsync().ConfigureAwait(false);
        await copy.WriteAsync(row.Timestamp, NpgsqlDbType.Bigint).ConfigureAwait(false);
        await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean).ConfigureAwait(false);
        await copy.WriteAsync(row.PersistenceId, NpgsqlDbType.Text).ConfigureAwait(false);
        await copy.WriteAsync(row.SequenceNumber, NpgsqlDbType.Bigint).ConfigureAwait(false);
        await copy.WriteAsync(row.Message, NpgsqlDbType.Bytea).ConfigureAwait(false);
        await WriteNullable(copy, row.Manifest, NpgsqlDbType.Text).ConfigureAwait(false);
        if (row.Identifier is { } identifier) await copy.WriteAsync(identifier, NpgsqlDbType.Integer).ConfigureAwait(false);
        else await copy.WriteNullAsync().ConfigureAwait(false);
        if (_writerUuidColumn) await WriteNullable(copy, row.WriterUuid, NpgsqlDbType.Text).ConfigureAwait(false);
    }

    private static Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);
}
