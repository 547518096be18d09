using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// "Has this persistence id any snapshot?" as one plain query on PostgreSQL, as <see cref="SqliteSnapshotReads"/> on
/// SQLite: every new subject's first start asks it, and only a yes makes the plugin load one. The questions of entities
/// starting together go as one query (<see cref="CombinedLookups{TKey,TValue}"/>). Connections come from the node's one
/// pool (<see cref="PostgresPool"/>).
/// </summary>
public sealed class PostgresSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _withSnapshotSql;
    private readonly CombinedLookups<string, bool> _any;

    private PostgresSnapshotReads(string connectionString, string withSnapshotSql)
    {
        _connectionString = connectionString;
        _withSnapshotSql = withSnapshotSql;
        _any = new CombinedLookups<string, bool>(WithSnapshot, false, comparer: StringComparer.Ordinal);
    }

    /// <summary>Null unless the snapshot store is PostgreSQL with a connection string in its configuration.</summary>
    public static PostgresSnapshotReads? For(SnapshotConfig config)
    {
        if (!config.ProviderName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(config.ConnectionString)) return null;
        var snapshots = config.TableConfig.SnapshotTable;
        var table = SqlNames.Table(config.TableConfig.SchemaName, snapshots.Name);
        var pid = SqlNames.Quote(snapshots.ColumnNames.PersistenceId);
        return new PostgresSnapshotReads(config.ConnectionString, $"SELECT ids.id FROM unnest(@pids) AS ids(id) WHERE EXISTS (SELECT 1 FROM {table} WHERE {pid} = ids.id)");
    }

    public Task<bool> HasSnapshot(string persistenceId) => _any.Get(persistenceId);

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
