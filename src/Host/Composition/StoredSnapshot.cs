using System.Data.Common;
using Akka.Persistence;
using Akka.Serialization;
using Akka.Util;

namespace Streams.Host.Composition;

/// <summary>A snapshot row as our plain statements read and write it: what the plugin's serializer needs to rebuild the snapshot.</summary>
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
    /// The row of <paramref name="snapshot"/> as Akka.Persistence.Sql's snapshot serializer makes it (its long
    /// timestamps, every provider but SQL Server): the serializer for its type, that serializer's manifest, the ticks of
    /// the metadata's timestamp.
    /// </summary>
    public static StoredSnapshot Of(SnapshotMetadata metadata, object snapshot, Akka.Serialization.Serialization serialization, string defaultSerializer)
    {
        var serializer = serialization.FindSerializerForType(snapshot.GetType(), defaultSerializer);
        var payload = Akka.Serialization.Serialization.WithTransport(serialization.System, (serializer, snapshot),
            state => state.serializer.ToBinary(state.snapshot));
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(snapshot),
            { IncludeManifest: true } => snapshot.GetType().TypeQualifiedName(),
            _ => string.Empty,
        };
        return new StoredSnapshot(metadata.SequenceNr, metadata.Timestamp.Ticks, payload, manifest, serializer.Identifier);
    }

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
