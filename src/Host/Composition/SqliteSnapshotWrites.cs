using Akka.Persistence;
using Akka.Persistence.Sql.Config;

namespace Streams.Host.Composition;

/// <summary>
/// A snapshot's save and the delete of the snapshots below it as plain statements on SQLite. Through linq2db each built
/// its SQL anew; with a sensor's snapshot at its stop, the save and the two deletes after it were about 190 KiB of
/// allocation per snapshot. Same table, columns and row (<see cref="StoredSnapshot.Of"/>) as Akka.Persistence.Sql's
/// snapshot DAO, so the plugin reads these rows as its own.
/// </summary>
/// <remarks>The snapshot is serialized on the caller's thread; the statements run in a transaction of the database's <see cref="SqliteWriter"/>.</remarks>
public sealed class SqliteSnapshotWrites : IPlainSnapshotWrites
{
    private readonly SqliteWriter _writer;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;
    private readonly string _saveSql;
    private readonly string _deleteUpToSql;

    private SqliteSnapshotWrites(SnapshotConfig config, Akka.Serialization.Serialization serialization, SqliteWriter writer, string saveSql,
        string deleteUpToSql)
    {
        _writer = writer;
        _serialization = serialization;
        _defaultSerializer = config.DefaultSerializer;
        _saveSql = saveSql;
        _deleteUpToSql = deleteUpToSql;
    }

    /// <summary>Null unless the snapshot store is SQLite with a connection string in its configuration.</summary>
    public static SqliteSnapshotWrites? For(SnapshotConfig config, Akka.Serialization.Serialization serialization, SqliteWriter writer)
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
        return new SqliteSnapshotWrites(config, serialization, writer, save, deleteUpTo);
    }

    /// <summary>Stores <paramref name="snapshot"/> as the plugin's row; the task completes once its transaction has committed.</summary>
    public Task Save(SnapshotMetadata metadata, object snapshot)
    {
        StoredSnapshot row;
        try
        {
            row = StoredSnapshot.Of(metadata, snapshot, _serialization, _defaultSerializer);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
        return _writer.Write(write => Save(write, metadata.PersistenceId, row));
    }

    /// <summary>Deletes <paramref name="persistenceId"/>'s snapshots numbered up to <paramref name="maxSequenceNr"/>.</summary>
    public Task DeleteUpTo(string persistenceId, long maxSequenceNr) => _writer.Write(write => DeleteUpTo(write, persistenceId, maxSequenceNr));

    private void Save(SqliteWrite write, string persistenceId, StoredSnapshot row)
    {
        using var command = write.Command(_saveSql);
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$seq", row.SequenceNr);
        command.Parameters.AddWithValue("$created", row.CreatedTicks);
        command.Parameters.AddWithValue("$snapshot", row.Payload);
        command.Parameters.AddWithValue("$manifest", (object?)row.Manifest ?? DBNull.Value);
        command.Parameters.AddWithValue("$serializer", (object?)row.SerializerId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private void DeleteUpTo(SqliteWrite write, string persistenceId, long maxSequenceNr)
    {
        using var command = write.Command(_deleteUpToSql);
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        command.ExecuteNonQuery();
    }
}
