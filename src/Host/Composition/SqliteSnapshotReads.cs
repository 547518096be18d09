using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// "Has this persistence id any snapshot?" as one plain query on SQLite: every new subject's first start asks it, and
/// only a yes makes the plugin load one. Same table and column as Akka.Persistence.Sql's configuration. The checks of
/// entities starting together go as one query (<see cref="CombinedLookups{TKey,TValue}"/>), off the caller's thread.
/// </summary>
public sealed class SqliteSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _withSnapshotSql;
    private readonly CombinedLookups<string, bool> _any;

    private SqliteSnapshotReads(string connectionString, string withSnapshotSql)
    {
        _connectionString = connectionString;
        _withSnapshotSql = withSnapshotSql;
        _any = new CombinedLookups<string, bool>(ids => Task.Run(() => WithSnapshot(ids)), false, comparer: StringComparer.Ordinal);
    }

    /// <summary>Null unless the snapshot store is SQLite with a connection string in its configuration.</summary>
    public static SqliteSnapshotReads? For(SnapshotConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)) return null;
        var table = SqlNames.Quote(config.TableConfig.SnapshotTable.Name);
        var pid = SqlNames.Quote(config.TableConfig.SnapshotTable.ColumnNames.PersistenceId);
        return new SqliteSnapshotReads(config.ConnectionString,
            $"SELECT ids.value FROM json_each($pids) AS ids WHERE EXISTS (SELECT 1 FROM {table} WHERE {pid} = ids.value)");
    }

    public Task<bool> HasSnapshot(string persistenceId) => _any.Get(persistenceId);

    private IReadOnlyDictionary<string, bool> WithSnapshot(IReadOnlyCollection<string> persistenceIds)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _withSnapshotSql;
        command.Parameters.AddWithValue("$pids", SqliteSql.JsonArray(persistenceIds));
        var found = new Dictionary<string, bool>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read()) found[reader.GetString(0)] = true;
        return found;
    }
}
