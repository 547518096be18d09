using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// An entity start's replay as one plain query on PostgreSQL, as <see cref="SqliteJournalReads.Replay"/> does on SQLite
/// (same table, columns and predicates as Akka.Persistence.Sql's native mode; through the plugin every restart ran a
/// linq2db query translation and a materialized stream).
/// </summary>
/// <remarks>
/// Connections come from Npgsql's pool for the journal's connection string, the one the plugin uses too, so the node's
/// bound on connections (<see cref="PostgresPool"/>) holds for both. A data source of its own would be a second pool.
/// The highest-sequence-number reads of entities starting together go as one query (<see cref="CombinedLookups{TKey,TValue}"/>).
/// </remarks>
public sealed class PostgresJournalReads
{
    private readonly string _connectionString;
    private readonly string _replaySql;
    private readonly string _highestManySql;
    private readonly CombinedLookups<string, long> _highest;

    private PostgresJournalReads(string connectionString, string replaySql, string highestManySql)
    {
        _connectionString = connectionString;
        _replaySql = replaySql;
        _highestManySql = highestManySql;
        _highest = new CombinedLookups<string, long>(HighestOfMany, 0, comparer: StringComparer.Ordinal);
    }

    /// <summary>Null unless the journal is PostgreSQL in the plugin's native mode with a connection string in its configuration.</summary>
    public static PostgresJournalReads? For(JournalConfig config)
    {
        if (!IsPlainPostgres(config)) return null;
        var columns = config.TableConfig.EventJournalTable.ColumnNames;
        var seq = SqlNames.Quote(columns.SequenceNumber);
        var pid = SqlNames.Quote(columns.PersistenceId);
        var writer = config.TableConfig.EventJournalTable.UseWriterUuidColumn ? SqlNames.Quote(columns.WriterUuid) : "NULL";
        var replay = $"SELECT {seq}, {SqlNames.Quote(columns.Message)}, {SqlNames.Quote(columns.Manifest)}, {SqlNames.Quote(columns.Identifier)}, "
                     + $"{writer}, {SqlNames.Quote(columns.Created)} FROM {JournalTable(config)} "
                     + $"WHERE {pid} = @pid AND {seq} >= @from AND {seq} <= @to AND {SqlNames.Quote(columns.Deleted)} = false "
                     + $"ORDER BY {seq} LIMIT @max";
        // As the DAO's native-mode query: deleted rows count (they keep the highest number after a delete).
        // One MAX per id, each a backward index scan that stops at its first row (a GROUP BY would read every row).
        var highestMany = $"SELECT ids.id, (SELECT MAX({seq}) FROM {JournalTable(config)} WHERE {pid} = ids.id) FROM unnest(@pids) AS ids(id)";
        return new PostgresJournalReads(config.ConnectionString, replay, highestMany);
    }

    /// <summary>PostgreSQL in the plugin's native mode, with a connection string in the journal's configuration.</summary>
    public static bool IsPlainPostgres(JournalConfig config) =>
        config.ProviderName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(config.ConnectionString)
        && !config.DaoConfig.SqlCommonCompatibilityMode;

    /// <summary>The journal table's quoted name, with its schema when the configuration names one.</summary>
    public static string JournalTable(JournalConfig config) =>
        SqlNames.Table(config.TableConfig.SchemaName, config.TableConfig.EventJournalTable.Name);

    /// <summary>The DAO's Messages: the events from <paramref name="fromSequenceNr"/> to <paramref name="toSequenceNr"/>, not deleted, in order, at most <paramref name="max"/>.</summary>
    public async Task Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<StoredEvent> each)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_replaySql, connection);
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("from", fromSequenceNr);
        command.Parameters.AddWithValue("to", toSequenceNr);
        command.Parameters.AddWithValue("max", max);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) each(StoredEvent.Read(reader));
    }

    /// <summary>
    /// The DAO's HighestSequenceNr: the highest number above <paramref name="fromSequenceNr"/> (any, if 0), else 0.
    /// The highest number of all is that number whenever it is above <paramref name="fromSequenceNr"/>, so one query
    /// for the highest numbers of many ids answers every caller, whatever its <paramref name="fromSequenceNr"/>.
    /// </summary>
    public async Task<long> HighestSequenceNr(string persistenceId, long fromSequenceNr)
    {
        var highest = await _highest.Get(persistenceId).ConfigureAwait(false);
        return highest > fromSequenceNr ? highest : 0;
    }

    private async Task<IReadOnlyDictionary<string, long>> HighestOfMany(IReadOnlyCollection<string> persistenceIds)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_highestManySql, connection);
        command.Parameters.AddWithValue("pids", persistenceIds.ToArray());
        var highest = new Dictionary<string, long>(persistenceIds.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            if (!reader.IsDBNull(1)) highest[reader.GetString(0)] = reader.GetInt64(1);
        return highest;
    }
}
