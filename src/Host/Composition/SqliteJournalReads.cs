using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// An entity start's highest-sequence-number read as one plain query on SQLite. Through linq2db it cost a query
/// translation and SQL text built anew (with the snapshot check, a fifth of the host's CPU when 10,000 new subjects
/// start). Same table, columns and predicate as Akka.Persistence.Sql's native mode.
/// </summary>
public sealed class SqliteJournalReads
{
    private readonly string _connectionString;
    private readonly string _highestSql;
    private readonly string _highestFromSql;

    private SqliteJournalReads(string connectionString, string highestSql, string highestFromSql)
    {
        _connectionString = connectionString;
        _highestSql = highestSql;
        _highestFromSql = highestFromSql;
    }

    /// <summary>Null unless the journal is SQLite in Akka.Persistence.Sql's native mode with a connection string in its configuration.</summary>
    public static SqliteJournalReads? For(JournalConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
            || config.DaoConfig.SqlCommonCompatibilityMode) return null;
        var table = SqliteSql.Quote(config.TableConfig.EventJournalTable.Name);
        var columns = config.TableConfig.EventJournalTable.ColumnNames;
        var pid = SqliteSql.Quote(columns.PersistenceId);
        var seq = SqliteSql.Quote(columns.SequenceNumber);
        // As the DAO's native-mode query: deleted rows count (they keep the highest number after a delete).
        var highest = $"SELECT MAX({seq}) FROM {table} WHERE {pid} = $pid";
        return new SqliteJournalReads(config.ConnectionString, highest, highest + $" AND {seq} > $from");
    }

    /// <summary>The DAO's HighestSequenceNr: the highest number above <paramref name="fromSequenceNr"/> (any, if 0), else 0.</summary>
    public long HighestSequenceNr(string persistenceId, long fromSequenceNr)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = fromSequenceNr == 0 ? _highestSql : _highestFromSql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        if (fromSequenceNr != 0) command.Parameters.AddWithValue("$from", fromSequenceNr);
        return command.ExecuteScalar() is long highest ? highest : 0;
    }
}
