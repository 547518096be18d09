using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// An entity start's reads as plain queries on SQLite: its highest sequence number and the replay of its events.
/// Through linq2db each cost a query translation and SQL text built anew (the highest-number read, with the snapshot
/// check, was a fifth of the host's CPU when 10,000 new subjects started). Same table, columns and predicates as
/// Akka.Persistence.Sql's native mode.
/// </summary>
public sealed class SqliteJournalReads
{
    private readonly string _connectionString;
    private readonly string _highestSql;
    private readonly string _highestFromSql;
    private readonly string _replaySql;

    private SqliteJournalReads(string connectionString, string highestSql, string highestFromSql, string replaySql)
    {
        _connectionString = connectionString;
        _highestSql = highestSql;
        _highestFromSql = highestFromSql;
        _replaySql = replaySql;
    }

    /// <summary>Null unless the journal is SQLite in Akka.Persistence.Sql's native mode with a connection string in its configuration.</summary>
    public static SqliteJournalReads? For(JournalConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)
            || config.DaoConfig.SqlCommonCompatibilityMode) return null;
        var table = SqlNames.Quote(config.TableConfig.EventJournalTable.Name);
        var columns = config.TableConfig.EventJournalTable.ColumnNames;
        var pid = SqlNames.Quote(columns.PersistenceId);
        var seq = SqlNames.Quote(columns.SequenceNumber);
        // As the DAO's native-mode query: deleted rows count (they keep the highest number after a delete).
        var highest = $"SELECT MAX({seq}) FROM {table} WHERE {pid} = $pid";
        // As the DAO's Messages query: not deleted, in sequence order, at most max.
        var writer = config.TableConfig.EventJournalTable.UseWriterUuidColumn ? SqlNames.Quote(columns.WriterUuid) : "NULL";
        var replay = $"SELECT {seq}, {SqlNames.Quote(columns.Message)}, {SqlNames.Quote(columns.Manifest)}, {SqlNames.Quote(columns.Identifier)}, "
                     + $"{writer}, {SqlNames.Quote(columns.Created)} FROM {table} "
                     + $"WHERE {pid} = $pid AND {seq} >= $from AND {seq} <= $to AND {SqlNames.Quote(columns.Deleted)} = 0 "
                     + $"ORDER BY {seq} LIMIT $max";
        return new SqliteJournalReads(config.ConnectionString, highest, highest + $" AND {seq} > $from", replay);
    }

    /// <summary>The DAO's Messages: the events from <paramref name="fromSequenceNr"/> to <paramref name="toSequenceNr"/>, not deleted, in order, at most <paramref name="max"/>.</summary>
    public void Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<StoredEvent> each)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _replaySql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$from", fromSequenceNr);
        command.Parameters.AddWithValue("$to", toSequenceNr);
        command.Parameters.AddWithValue("$max", max); // SQLite reads a LIMIT above the rows there are as "all"
        using var reader = command.ExecuteReader();
        while (reader.Read()) each(StoredEvent.Read(reader));
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
