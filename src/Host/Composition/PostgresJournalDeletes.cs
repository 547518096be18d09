using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's delete of a persistence id's events up to a sequence number as plain statements on PostgreSQL, in one
/// transaction: the statements of <see cref="SqliteJournalDeletes"/> (Akka.Persistence.Sql's native-mode delete), in
/// one round trip. Connections come from the node's one pool (<see cref="PostgresPool"/>).
/// </summary>
public sealed class PostgresJournalDeletes
{
    private readonly string _connectionString;
    private readonly string _deleteSql;

    private PostgresJournalDeletes(string connectionString, string deleteSql)
    {
        _connectionString = connectionString;
        _deleteSql = deleteSql;
    }

    /// <summary>Null unless the journal is PostgreSQL in native mode with tags in their own table (the configuration this host runs).</summary>
    public static PostgresJournalDeletes? For(JournalConfig config)
    {
        if (!PostgresJournalReads.IsPlainPostgres(config) || config.PluginConfig.TagMode != TagMode.TagTable) return null;
        var table = PostgresJournalReads.JournalTable(config);
        var c = config.TableConfig.EventJournalTable.ColumnNames;
        var pid = SqlNames.Quote(c.PersistenceId);
        var seq = SqlNames.Quote(c.SequenceNumber);
        var deleted = SqlNames.Quote(c.Deleted);
        var tags = config.TableConfig.TagTable;
        var tagPid = SqlNames.Quote(tags.ColumnNames.PersistenceId);
        var tagSeq = SqlNames.Quote(tags.ColumnNames.SequenceNumber);
        // Mark; the highest marked row stays (it keeps the highest number); remove the rows below it and their tags.
        var delete = $"UPDATE {table} SET {deleted} = true WHERE {pid} = @pid AND {seq} <= @max;"
                     + $"DELETE FROM {table} WHERE {pid} = @pid AND {seq} <= @max AND {seq} < "
                     + $"(SELECT COALESCE(MAX({seq}), 0) FROM {table} WHERE {pid} = @pid AND {deleted} = true);"
                     + $"DELETE FROM {SqlNames.Table(config.TableConfig.SchemaName, tags.Name)} WHERE {tagPid} = @pid AND {tagSeq} <= @max AND {tagSeq} < "
                     + $"(SELECT COALESCE(MAX({seq}), 0) FROM {table} WHERE {pid} = @pid AND {deleted} = true)";
        return new PostgresJournalDeletes(config.ConnectionString, delete);
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s events up to <paramref name="maxSequenceNr"/>, all or none.</summary>
    public async Task DeleteTo(string persistenceId, long maxSequenceNr)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_deleteSql, connection, transaction);
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("max", maxSequenceNr);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
