using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// A start's snapshot reads as plain queries on PostgreSQL, as <see cref="SqliteSnapshotReads"/> on SQLite: the latest
/// snapshot (every start asks for it, and with a sensor's snapshot at its stop most wakes find one), and "has this
/// persistence id any snapshot?" for other selections. The questions of entities starting together go as one query
/// (<see cref="CombinedLookups{TKey,TValue}"/>). Connections come from the node's one pool (<see cref="PostgresPool"/>).
/// </summary>
public sealed class PostgresSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _withSnapshotSql;
    private readonly string _latestSql;
    private readonly CombinedLookups<string, bool> _any;
    private readonly CombinedLookups<string, StoredSnapshot?> _latest;

    private PostgresSnapshotReads(string connectionString, string withSnapshotSql, string latestSql)
    {
        _connectionString = connectionString;
        _withSnapshotSql = withSnapshotSql;
        _latestSql = latestSql;
        _any = new CombinedLookups<string, bool>(WithSnapshot, false, comparer: StringComparer.Ordinal);
        _latest = new CombinedLookups<string, StoredSnapshot?>(LatestOf, null, comparer: StringComparer.Ordinal);
    }

    /// <summary>Null unless the snapshot store is PostgreSQL with a connection string in its configuration.</summary>
    public static PostgresSnapshotReads? For(SnapshotConfig config)
    {
        if (!config.ProviderName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(config.ConnectionString)) return null;
        var snapshots = config.TableConfig.SnapshotTable;
        var table = SqlNames.Table(config.TableConfig.SchemaName, snapshots.Name);
        var c = snapshots.ColumnNames;
        var pid = SqlNames.Quote(c.PersistenceId);
        var seq = SqlNames.Quote(c.SequenceNumber);
        // The columns of StoredSnapshot.Read, then the id; per id the row with the highest number, as the plugin's query.
        var latest = $"SELECT DISTINCT ON ({pid}) {seq}, {SqlNames.Quote(c.Created)}, {SqlNames.Quote(c.Snapshot)}, {SqlNames.Quote(c.Manifest)}, "
                     + $"{SqlNames.Quote(c.SerializerId)}, {pid} FROM {table} WHERE {pid} = ANY(@pids) ORDER BY {pid}, {seq} DESC";
        return new PostgresSnapshotReads(config.ConnectionString,
            $"SELECT ids.id FROM unnest(@pids) AS ids(id) WHERE EXISTS (SELECT 1 FROM {table} WHERE {pid} = ids.id)", latest);
    }

    public Task<bool> HasSnapshot(string persistenceId) => _any.Get(persistenceId);

    /// <summary>The snapshot with the highest sequence number, or null.</summary>
    public Task<StoredSnapshot?> Latest(string persistenceId) => _latest.Get(persistenceId);

    private async Task<IReadOnlyDictionary<string, StoredSnapshot?>> LatestOf(IReadOnlyCollection<string> persistenceIds)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_latestSql, connection);
        command.Parameters.AddWithValue("pids", persistenceIds.ToArray());
        var found = new Dictionary<string, StoredSnapshot?>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) found[reader.GetString(5)] = StoredSnapshot.Read(reader);
        return found;
    }

    private async Task<IReadOnlyDictionary<string, bool>> WithSnapshot(IReadOnlyCollection<string> persistenceIds)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_withSnapshotSql, connection);
        command.Parameters.AddWithValue("pids", persistenceIds.ToArray());
        var found = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) found[reader.GetString(0)] = true;
        return found;
    }
}
