using Akka.Persistence;
using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// A snapshot's save and the delete of the snapshots below it as plain statements on SQLite. Through linq2db each built
/// its SQL anew; with a sensor's snapshot at its stop, the save and the two deletes after it were about 190 KiB of
/// allocation per snapshot. Same table, columns and row (<see cref="StoredSnapshot.Of"/>) as Akka.Persistence.Sql's
/// snapshot DAO, so the plugin reads these rows as its own.
/// </summary>
/// <remarks>
/// They run on the snapshot store's thread, as the plugin's did (Microsoft.Data.Sqlite is synchronous): one at a time,
/// in order. Run on the thread pool instead, one at a time, the wake-heavy benchmark spent 9 % more CPU per reading
/// (758–777 µs against 703–712 µs, and 718 µs inline): pool threads waiting in SQLite's busy handler for the journal
/// writer's lock.
/// </remarks>
public sealed class SqliteSnapshotWrites
{
    private readonly string _connectionString;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;
    private readonly string _saveSql;
    private readonly string _deleteUpToSql;

    private SqliteSnapshotWrites(SnapshotConfig config, Akka.Serialization.Serialization serialization, string saveSql, string deleteUpToSql)
    {
        _connectionString = config.ConnectionString;
        _serialization = serialization;
        _defaultSerializer = config.DefaultSerializer;
        _saveSql = saveSql;
        _deleteUpToSql = deleteUpToSql;
    }

    /// <summary>Null unless the snapshot store is SQLite with a connection string in its configuration.</summary>
    public static SqliteSnapshotWrites? For(SnapshotConfig config, Akka.Serialization.Serialization serialization)
    {
        if (!SqliteSql.IsPlainSqlite(config.ProviderName, config.ConnectionString, config.TableConfig.SchemaName)) return null;
        var table = SqlNames.Quote(config.TableConfig.SnapshotTable.Name);
        var c = config.TableConfig.SnapshotTable.ColumnNames;
        var pid = SqlNames.Quote(c.PersistenceId);
        var seq = SqlNames.Quote(c.SequenceNumber);
        // linq2db's InsertOrReplace on SQLite: a snapshot saved again at the same number replaces the row.
        var save = $"INSERT OR REPLACE INTO {table} ({pid}, {seq}, {SqlNames.Quote(c.Created)}, {SqlNames.Quote(c.Snapshot)}, "
                   + $"{SqlNames.Quote(c.Manifest)}, {SqlNames.Quote(c.SerializerId)}) VALUES ($pid, $seq, $created, $snapshot, $manifest, $serializer)";
        var deleteUpTo = $"DELETE FROM {table} WHERE {pid} = $pid AND {seq} <= $max";
        return new SqliteSnapshotWrites(config, serialization, save, deleteUpTo);
    }

    /// <summary>Stores <paramref name="snapshot"/> now, on the caller's thread.</summary>
    public void Save(SnapshotMetadata metadata, object snapshot)
    {
        var row = StoredSnapshot.Of(metadata, snapshot, _serialization, _defaultSerializer);
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _saveSql;
        command.Parameters.AddWithValue("$pid", metadata.PersistenceId);
        command.Parameters.AddWithValue("$seq", row.SequenceNr);
        command.Parameters.AddWithValue("$created", row.CreatedTicks);
        command.Parameters.AddWithValue("$snapshot", row.Payload);
        command.Parameters.AddWithValue("$manifest", (object?)row.Manifest ?? DBNull.Value);
        command.Parameters.AddWithValue("$serializer", (object?)row.SerializerId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s snapshots numbered up to <paramref name="maxSequenceNr"/>, now.</summary>
    public void DeleteUpTo(string persistenceId, long maxSequenceNr)
    {
        using var connection = SqliteSql.Open(_connectionString);
        using var command = connection.CreateCommand();
        command.CommandText = _deleteUpToSql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        command.ExecuteNonQuery();
    }
}
