using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;

namespace Streams.Actors.Tests;

/// <summary>
/// The in-memory journal, but every event goes through the serializer bound to it on the way in, as with a real journal:
/// recovery in the entity tests reads what the project's serializer wrote, so a field it drops fails a test.
/// </summary>
public sealed class SerializingMemoryJournal : MemoryJournal
{
    private readonly Akka.Serialization.Serialization _serialization = Context.System.Serialization;

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var copies = messages.Select(write => new AtomicWrite(
            ((IImmutableList<IPersistentRepresentation>)write.Payload).Select(RoundTrip).ToImmutableList())).ToList();
        return base.WriteMessagesAsync(copies, cancellationToken);
    }

    private IPersistentRepresentation RoundTrip(IPersistentRepresentation repr)
    {
        var serializer = _serialization.FindSerializerFor(repr.Payload);
        var bytes = serializer.ToBinary(repr.Payload);
        var copy = serializer is SerializerWithStringManifest withManifest
            ? withManifest.FromBinary(bytes, withManifest.Manifest(repr.Payload))
            : serializer.FromBinary(bytes, repr.Payload.GetType());
        return repr.WithPayload(copy);
    }
}
