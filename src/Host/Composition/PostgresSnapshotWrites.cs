using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// A snapshot's save and the delete of the snapshots below a number as plain statements on PostgreSQL, as
/// <see cref="SqliteSnapshotWrites"/> on SQLite: through linq2db each built its SQL anew, and a sensor's snapshot at its
/// stop made them as frequent as wakes. Same table, columns and row (<see cref="StoredSnapshot.Of"/>) as
/// Akka.Persistence.Sql's snapshot DAO. Connections come from the node's one pool (<see cref="PostgresPool"/>).
/// </summary>
public sealed class PostgresSnapshotWrites : IPlainSnapshotWrites
{
    private readonly string _connectionString;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;
    private readonly string _saveSql;
    private readonly string _deleteUpToSql;

    private PostgresSnapshotWrites(SnapshotConfig config, Akka.Serialization.Serialization serialization, string saveSql, string deleteUpToSql)
    {
        _connectionString = config.ConnectionString;
        _serialization = serialization;
        _defaultSerializer = config.DefaultSerializer;
        _saveSql = saveSql;
        _deleteUpToSql = deleteUpToSql;
    }

    /// <summary>Null unless the snapshot store is PostgreSQL with a connection string in its configuration.</summary>
    public static PostgresSnapshotWrites? For(SnapshotConfig config, Akka.Serialization.Serialization serialization)
    {
        if (!config.ProviderName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(config.ConnectionString)) return null;
        var table = SqlNames.Table(config.TableConfig.SchemaName, config.TableConfig.SnapshotTable.Name);
        var c = config.TableConfig.SnapshotTable.ColumnNames;
        var pid = SqlNames.Quote(c.PersistenceId);
        var seq = SqlNames.Quote(c.SequenceNumber);
        var created = SqlNames.Quote(c.Created);
        var snapshot = SqlNames.Quote(c.Snapshot);
        var manifest = SqlNames.Quote(c.Manifest);
        var serializer = SqlNames.Quote(c.SerializerId);
        // linq2db's InsertOrReplace on PostgreSQL: a snapshot saved again at the same number replaces the row.
        var save = $"INSERT INTO {table} ({pid}, {seq}, {created}, {snapshot}, {manifest}, {serializer}) "
                   + "VALUES (@pid, @seq, @created, @snapshot, @manifest, @serializer) "
                   + $"ON CONFLICT ({pid}, {seq}) DO UPDATE SET {created} = EXCLUDED.{created}, {snapshot} = EXCLUDED.{snapshot}, "
                   + $"{manifest} = EXCLUDED.{manifest}, {serializer} = EXCLUDED.{serializer}";
        return new PostgresSnapshotWrites(config, serialization, save, $"DELETE FROM {table} WHERE {pid} = @pid AND {seq} <= @max");
    }

    /// <summary>Serializes <paramref name="snapshot"/> now, on the caller's thread; the task stores it.</summary>
    public Task Save(SnapshotMetadata metadata, object snapshot)
    {
        var row = StoredSnapshot.Of(metadata, snapshot, _serialization, _defaultSerializer);
        return Execute(_saveSql, command =>
        {
            command.Parameters.AddWithValue("pid", metadata.PersistenceId);
            command.Parameters.AddWithValue("seq", row.SequenceNr);
            command.Parameters.AddWithValue("created", row.CreatedTicks);
            command.Parameters.AddWithValue("snapshot", row.Payload);
            command.Parameters.AddWithValue("manifest", (object?)row.Manifest ?? DBNull.Value);
            command.Parameters.AddWithValue("serializer", (object?)row.SerializerId ?? DBNull.Value);
        });
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s snapshots numbered up to <paramref name="maxSequenceNr"/>.</summary>
    public Task DeleteUpTo(string persistenceId, long maxSequenceNr) => Execute(_deleteUpToSql, command =>
    {
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("max", maxSequenceNr);
    });

    private async Task Execute(string sql, Action<NpgsqlCommand> bind)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
