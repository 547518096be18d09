using System.Data.Common;
using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>A snapshot row as our plain query reads it: what the plugin's serializer needs to rebuild the snapshot.</summary>
public sealed record StoredSnapshot(long SequenceNr, long CreatedTicks, byte[] Payload, string? Manifest, int? SerializerId)
{
    /// <summary>The current row of a query selecting sequence number, created, snapshot, manifest, serializer id.</summary>
    public static StoredSnapshot Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        (byte[])reader.GetValue(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt32(4));

    /// <summary>
    /// The snapshot as Akka.Persistence.Sql's serializer makes it from the same row; null for a row without a serializer id
    /// (older stores name a CLR type there), which the plugin reads.
    /// </summary>
    public SelectedSnapshot? ToSelected(string persistenceId, Akka.Serialization.Serialization serialization) =>
        SerializerId is { } serializerId
            ? new SelectedSnapshot(new SnapshotMetadata(persistenceId, SequenceNr, new DateTime(CreatedTicks)),
                serialization.Deserialize(Payload, serializerId, Manifest ?? ""))
            : null;
}
