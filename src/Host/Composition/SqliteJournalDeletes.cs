using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's delete of a persistence id's events up to a sequence number as plain statements on SQLite, in one
/// transaction on the journal's thread, as the plugin's ran (see <see cref="SqliteSnapshotWrites"/> for why not on the
/// thread pool). The statements are Akka.Persistence.Sql's native-mode delete: mark the rows deleted, then remove the
/// marked rows below the highest marked one, which stays so that the highest sequence number survives a delete of
/// every event, then the tags of the removed rows (as version 1.5.73, which we run, does; its sources of October 2024
/// deleted the tags of every marked row). Through linq2db each statement cost a query translation, once per stop of a
/// sensor that snapshots at its stop.
/// </summary>
public sealed class SqliteJournalDeletes
{
    private readonly string _connectionString;
    private readonly string _markSql;
    private readonly string _highestMarkedSql;
    private readonly string _removeSql;
    private readonly string _removeTagsSql;

    private SqliteJournalDeletes(string connectionString, string markSql, string highestMarkedSql, string removeSql, string removeTagsSql)
    {
        _connectionString = connectionString;
        _markSql = markSql;
        _highestMarkedSql = highestMarkedSql;
        _removeSql = removeSql;
        _removeTagsSql = removeTagsSql;
    }

    /// <summary>Null unless the journal is plain SQLite in native mode with tags in their own table (the configuration this host runs).</summary>
    public static SqliteJournalDeletes? For(JournalConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
            || config.DaoConfig.SqlCommonCompatibilityMode
            || config.PluginConfig.TagMode != TagMode.TagTable) return null;
        var table = SqlNames.Quote(config.TableConfig.EventJournalTable.Name);
        var c = config.TableConfig.EventJournalTable.ColumnNames;
        var pid = SqlNames.Quote(c.PersistenceId);
        var seq = SqlNames.Quote(c.SequenceNumber);
        var deleted = SqlNames.Quote(c.Deleted);
        var tags = config.TableConfig.TagTable;
        return new SqliteJournalDeletes(
            config.ConnectionString,
            $"UPDATE {table} SET {deleted} = 1 WHERE {pid} = $pid AND {seq} <= $max",
            $"SELECT {seq} FROM {table} WHERE {pid} = $pid AND {deleted} = 1 ORDER BY {seq} DESC LIMIT 1",
            $"DELETE FROM {table} WHERE {pid} = $pid AND {seq} <= $max AND {seq} < $marked",
            $"DELETE FROM {SqlNames.Quote(tags.Name)} WHERE {SqlNames.Quote(tags.ColumnNames.PersistenceId)} = $pid "
            + $"AND {SqlNames.Quote(tags.ColumnNames.SequenceNumber)} <= $max AND {SqlNames.Quote(tags.ColumnNames.SequenceNumber)} < $marked");
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s events up to <paramref name="maxSequenceNr"/>, all or none, now.</summary>
    public void DeleteTo(string persistenceId, long maxSequenceNr)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: the write lock first, through the busy handler
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        command.CommandText = _markSql;
        command.ExecuteNonQuery();
        command.CommandText = _highestMarkedSql;
        var marked = command.ExecuteScalar() is long highest ? highest : 0;
        command.Parameters.AddWithValue("$marked", marked);
        command.CommandText = _removeSql;
        command.ExecuteNonQuery();
        command.CommandText = _removeTagsSql;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
