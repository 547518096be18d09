using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// The journal's delete of a persistence id's events up to a sequence number as plain statements on SQLite, in a
/// transaction of the database's <see cref="SqliteWriter"/> (all or none). The statements are Akka.Persistence.Sql's
/// native-mode delete: mark the rows deleted, then remove the marked rows below the highest marked one, which stays so
/// that the highest sequence number survives a delete of every event, then the tags of the removed rows (as version
/// 1.5.73, which we run, does; its sources of October 2024 deleted the tags of every marked row). Through linq2db each
/// statement cost a query translation, once per stop of a sensor that snapshots at its stop.
/// </summary>
public sealed class SqliteJournalDeletes
{
    private readonly SqliteWriter _writer;
    private readonly string _markSql;
    private readonly string _highestMarkedSql;
    private readonly string _removeSql;
    private readonly string _removeTagsSql;

    private SqliteJournalDeletes(SqliteWriter writer, string markSql, string highestMarkedSql, string removeSql, string removeTagsSql)
    {
        _writer = writer;
        _markSql = markSql;
        _highestMarkedSql = highestMarkedSql;
        _removeSql = removeSql;
        _removeTagsSql = removeTagsSql;
    }

    /// <summary>Null unless the journal is plain SQLite in native mode with tags in their own table (the configuration this host runs).</summary>
    public static SqliteJournalDeletes? For(JournalConfig config, SqliteWriter writer)
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
            writer,
            $"UPDATE {table} SET {deleted} = 1 WHERE {pid} = $pid AND {seq} <= $max",
            $"SELECT {seq} FROM {table} WHERE {pid} = $pid AND {deleted} = 1 ORDER BY {seq} DESC LIMIT 1",
            $"DELETE FROM {table} WHERE {pid} = $pid AND {seq} <= $max AND {seq} < $marked",
            $"DELETE FROM {SqlNames.Quote(tags.Name)} WHERE {SqlNames.Quote(tags.ColumnNames.PersistenceId)} = $pid "
            + $"AND {SqlNames.Quote(tags.ColumnNames.SequenceNumber)} <= $max AND {SqlNames.Quote(tags.ColumnNames.SequenceNumber)} < $marked");
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s events up to <paramref name="maxSequenceNr"/>; the task completes once its transaction has committed.</summary>
    public Task DeleteTo(string persistenceId, long maxSequenceNr) => _writer.Write(write => DeleteTo(write, persistenceId, maxSequenceNr));

    private void DeleteTo(SqliteWrite write, string persistenceId, long maxSequenceNr)
    {
        using var command = write.Command(_markSql);
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        command.ExecuteNonQuery();
        command.CommandText = _highestMarkedSql;
        var marked = command.ExecuteScalar() is long highest ? highest : 0;
        command.Parameters.AddWithValue("$marked", marked);
        command.CommandText = _removeSql;
        command.ExecuteNonQuery();
        command.CommandText = _removeTagsSql;
        command.ExecuteNonQuery();
    }
}
