using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// An entity start's reads as plain queries on SQLite: its highest sequence number and the replay of its events.
/// Through linq2db each cost a query translation and SQL text built anew (the highest-number read, with the snapshot
/// check, was a fifth of the host's CPU when 10,000 new subjects started). Same table, columns and predicates as
/// Akka.Persistence.Sql's native mode. The highest-number reads of entities starting together go as one query
/// (<see cref="CombinedLookups{TKey,TValue}"/>), off the journal actor's thread.
/// </summary>
public sealed class SqliteJournalReads
{
    private readonly string _connectionString;
    private readonly string _replaySql;
    private readonly string _highestManySql;
    private readonly CombinedLookups<string, long> _highest;

    private SqliteJournalReads(string connectionString, string replaySql, string highestManySql)
    {
        _connectionString = connectionString;
        _replaySql = replaySql;
        _highestManySql = highestManySql;
        _highest = new CombinedLookups<string, long>(ids => Task.Run(() => HighestOfMany(ids)), 0, comparer: StringComparer.Ordinal);
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
        // As the DAO's Messages query: not deleted, in sequence order, at most max.
        var writer = config.TableConfig.EventJournalTable.UseWriterUuidColumn ? SqlNames.Quote(columns.WriterUuid) : "NULL";
        var replay = $"SELECT {seq}, {SqlNames.Quote(columns.Message)}, {SqlNames.Quote(columns.Manifest)}, {SqlNames.Quote(columns.Identifier)}, "
                     + $"{writer}, {SqlNames.Quote(columns.Created)} FROM {table} "
                     + $"WHERE {pid} = $pid AND {seq} >= $from AND {seq} <= $to AND {SqlNames.Quote(columns.Deleted)} = 0 "
                     + $"ORDER BY {seq} LIMIT $max";
        // As the DAO's native-mode query: deleted rows count (they keep the highest number after a delete). One MAX
        // per id, each a seek to the end of its range in the unique (persistence id, sequence number) index.
        var highestMany = $"SELECT ids.value, (SELECT MAX({seq}) FROM {table} WHERE {pid} = ids.value) FROM json_each($pids) AS ids";
        return new SqliteJournalReads(config.ConnectionString, replay, highestMany);
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

    /// <summary>
    /// The DAO's HighestSequenceNr, read together with those of other entities starting meanwhile. The highest number
    /// of all is the answer whenever it is above <paramref name="fromSequenceNr"/>, so one query answers every caller.
    /// </summary>
    public async Task<long> HighestSequenceNr(string persistenceId, long fromSequenceNr)
    {
        var highest = await _highest.Get(persistenceId).ConfigureAwait(false);
        return highest > fromSequenceNr ? highest : 0;
    }

    private IReadOnlyDictionary<string, long> HighestOfMany(IReadOnlyCollection<string> persistenceIds)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _highestManySql;
        command.Parameters.AddWithValue("$pids", SqliteSql.JsonArray(persistenceIds));
        var highest = new Dictionary<string, long>(persistenceIds.Count, StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            if (!reader.IsDBNull(1)) highest[reader.GetString(0)] = reader.GetInt64(1);
        return highest;
    }
}
