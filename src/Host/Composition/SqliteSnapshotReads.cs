using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// "Has this persistence id any snapshot?" as one plain query on SQLite: every new subject's first start asks it, and
/// only a yes makes the plugin load one. Same table and column as Akka.Persistence.Sql's configuration.
/// </summary>
public sealed class SqliteSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _anySnapshotSql;

    private SqliteSnapshotReads(string connectionString, string anySnapshotSql)
    {
        _connectionString = connectionString;
        _anySnapshotSql = anySnapshotSql;
    }

    /// <summary>Null unless the snapshot store is SQLite with a connection string in its configuration.</summary>
    public static SqliteSnapshotReads? For(SnapshotConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)) return null;
        var table = SqlNames.Quote(config.TableConfig.SnapshotTable.Name);
        var pid = SqlNames.Quote(config.TableConfig.SnapshotTable.ColumnNames.PersistenceId);
        return new SqliteSnapshotReads(config.ConnectionString, $"SELECT 1 FROM {table} WHERE {pid} = $pid LIMIT 1");
    }

    public bool HasSnapshot(string persistenceId)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _anySnapshotSql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        return command.ExecuteScalar() is not null;
    }
}
