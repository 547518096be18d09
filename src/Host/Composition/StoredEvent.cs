using System.Data.Common;
using Akka.Actor;
using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>A journal row as our plain replay queries read it: what the plugin's serializer needs to rebuild the event.</summary>
public readonly record struct StoredEvent(long SequenceNr, byte[] Message, string? Manifest, int? Identifier, string? WriterUuid, long Timestamp)
{
    /// <summary>The current row of a replay query selecting sequence number, message, manifest, identifier, writer id, created.</summary>
    public static StoredEvent Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        (byte[])reader.GetValue(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetInt64(5));

    /// <summary>The event as Akka.Persistence.Sql's serializer makes it from the same row.</summary>
    public Persistent ToPersistent(string persistenceId, Akka.Serialization.Serialization serialization, string defaultSerializer) =>
        new(Payload(serialization, defaultSerializer), SequenceNr, persistenceId, Manifest ?? "", isDeleted: false, ActorRefs.NoSender, WriterUuid, Timestamp);

    private object Payload(Akka.Serialization.Serialization serialization, string defaultSerializer)
    {
        if (Identifier is { } serializerId) return serialization.Deserialize(Message, serializerId, Manifest);
        // Rows without a serializer id (older journals) name their CLR type, as the plugin reads them.
        var type = Type.GetType(Manifest ?? "", throwOnError: true)!;
        return serialization.FindSerializerForType(type, defaultSerializer).FromBinary(Message, type);
    }
}
