using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's journal with its writes one at a time, each taking every write that arrived meanwhile
/// (<see cref="SerialJournalWrites"/>), stored by the subclass's own insert where it has one, else by the plugin.
/// </summary>
public abstract class CombinedWritesJournal : SqlWriteJournal
{
    protected CombinedWritesJournal(Config journalConfig) : base(journalConfig)
    {
        var self = Self;
        Writes = new SerialJournalWrites(
            writes => TryWriteOwn(writes) ?? base.WriteMessagesAsync(writes, CancellationToken.None),
            () => self.Tell(WriteDone.Instance));
    }

    protected SerialJournalWrites Writes { get; }

    /// <summary>False: every write goes to the plugin as it comes (a configuration our plain SQL does not cover).</summary>
    protected abstract bool CombinesWrites { get; }

    /// <summary>The subclass's own insert of the rows, or null to let the plugin write them (rows with tags).</summary>
    protected abstract Task<IImmutableList<Exception>>? TryWriteOwn(IReadOnlyList<AtomicWrite> writes);

    protected sealed override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        if (!CombinesWrites || writes.Count == 0) return base.WriteMessagesAsync(writes, cancellationToken);
        return Writes.Write(writes);
    }

    protected override bool ReceivePluginInternal(object message)
    {
        if (message is not WriteDone) return base.ReceivePluginInternal(message);
        Writes.WriteDone();
        return true;
    }

    private sealed class WriteDone
    {
        public static readonly WriteDone Instance = new();
    }
}
