using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// A sensor's start reads its latest snapshot as one plain query on SQLite (through linq2db it cost a query translation
/// and SQL text built anew, at every wake of a sleeping sensor), and "has this persistence id any snapshot?" for other
/// selections. Same table, columns and order as Akka.Persistence.Sql's configuration and its latest-snapshot query.
/// </summary>
public sealed class SqliteSnapshotReads
{
    private readonly string _connectionString;
    private readonly string _anySnapshotSql;
    private readonly string _latestSql;

    private SqliteSnapshotReads(string connectionString, string anySnapshotSql, string latestSql)
    {
        _connectionString = connectionString;
        _anySnapshotSql = anySnapshotSql;
        _latestSql = latestSql;
    }

    /// <summary>Null unless the snapshot store is SQLite with a connection string in its configuration.</summary>
    public static SqliteSnapshotReads? For(SnapshotConfig config)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)) return null;
        var table = SqlNames.Quote(config.TableConfig.SnapshotTable.Name);
        var columns = config.TableConfig.SnapshotTable.ColumnNames;
        var pid = SqlNames.Quote(columns.PersistenceId);
        var seq = SqlNames.Quote(columns.SequenceNumber);
        var latest = $"SELECT {seq}, {SqlNames.Quote(columns.Created)}, {SqlNames.Quote(columns.Snapshot)}, {SqlNames.Quote(columns.Manifest)}, "
                     + $"{SqlNames.Quote(columns.SerializerId)} FROM {table} WHERE {pid} = $pid ORDER BY {seq} DESC LIMIT 1";
        return new SqliteSnapshotReads(config.ConnectionString, $"SELECT 1 FROM {table} WHERE {pid} = $pid LIMIT 1", latest);
    }

    /// <summary>The snapshot with the highest sequence number, or null.</summary>
    public StoredSnapshot? Latest(string persistenceId)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _latestSql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoredSnapshot.Read(reader) : null;
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
