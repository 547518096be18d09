using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// "Has this persistence id any snapshot?" as one plain query on PostgreSQL, as <see cref="SqliteSnapshotReads"/> on
/// SQLite: every new subject's first start asks it, and only a yes makes the plugin load one. Connections come from
/// the node's one pool (<see cref="PostgresPool"/>).
/// </summary>
public sealed class PostgresSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _anySnapshotSql;

    private PostgresSnapshotReads(string connectionString, string anySnapshotSql)
    {
        _connectionString = connectionString;
        _anySnapshotSql = anySnapshotSql;
    }

    /// <summary>Null unless the snapshot store is PostgreSQL with a connection string in its configuration.</summary>
    public static PostgresSnapshotReads? For(SnapshotConfig config)
    {
        if (!config.ProviderName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(config.ConnectionString)) return null;
        var snapshots = config.TableConfig.SnapshotTable;
        var table = SqlNames.Table(config.TableConfig.SchemaName, snapshots.Name);
        var pid = SqlNames.Quote(snapshots.ColumnNames.PersistenceId);
        return new PostgresSnapshotReads(config.ConnectionString, $"SELECT 1 FROM {table} WHERE {pid} = @pid LIMIT 1");
    }

    public async Task<bool> HasSnapshot(string persistenceId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_anySnapshotSql, connection);
        command.Parameters.AddWithValue("pid", persistenceId);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is not null;
    }
}
