using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Streams.Bench.Floor;

/// <summary>
/// A journal that answers every write at once and keeps nothing, so that the floor measures Akka's persistence protocol
/// without any store behind it: Akka's in-memory journal keeps every event, and the collector's work on them would count
/// against the design. Recovery finds nothing, which is what a subject's first reading finds in the host too.
/// </summary>
public sealed class DiscardingJournal : AsyncWriteJournal
{
    private static readonly Task<IImmutableList<Exception>> Stored = Task.FromResult<IImmutableList<Exception>>(null!);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) => Stored;

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) => Task.CompletedTask;

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) => Task.FromResult(0L);
}
