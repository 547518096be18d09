using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's journal on PostgreSQL with three changes: the highest-sequence-number read and the replay are
/// plain queries (<see cref="PostgresJournalReads"/>), writes go one at a time, each taking every write that arrived
/// meanwhile (<see cref="SerialJournalWrites"/>), as one binary COPY (<see cref="PostgresJournalInserts"/>; rows with
/// tags keep the plugin's insert), and a delete is plain statements (<see cref="PostgresJournalDeletes"/>). A
/// highest-sequence-number read first waits for a write in flight for the same id, as the plugin's does for its own writes.
/// </summary>
/// <remarks>
/// The plugin's own queue batches too, but into linq2db INSERTs with every payload as a hex literal in the SQL text.
/// One COPY at a time keeps one connection busy with writing; recoveries use the rest of the node's pool.
/// </remarks>
public sealed class PostgresWriteJournal : CombinedWritesJournal
{
    private readonly PostgresJournalReads? _reads;
    private readonly PostgresJournalInserts? _inserts;
    private readonly PostgresJournalDeletes? _deletes;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;

    public PostgresWriteJournal(Config journalConfig) : base(journalConfig)
    {
        var config = new JournalConfig(journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration));
        _serialization = Context.System.Serialization;
        _reads = PostgresJournalReads.For(config);
        _inserts = PostgresJournalInserts.For(config, _serialization);
        _deletes = PostgresJournalDeletes.For(config);
        _defaultSerializer = config.DefaultSerializer;
    }

    /// <summary>With the plain reads every write goes through <see cref="CombinedWritesJournal.Writes"/>, so that a highest-number read can wait for it.</summary>
    protected override bool CombinesWrites => _reads is not null;

    protected override Task<IImmutableList<Exception>>? TryWriteOwn(IReadOnlyList<AtomicWrite> writes) => _inserts?.TryWrite(writes);

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        _deletes is null ? base.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken) : _deletes.DeleteTo(persistenceId, toSequenceNr);

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_reads is null) return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        return Writes.InFlight(persistenceId) is { } write
            ? ReadAfter(write, _reads, persistenceId, fromSequenceNr)
            : _reads.HighestSequenceNr(persistenceId, fromSequenceNr);
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) =>
        _reads is null
            ? base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback)
            : _reads.Replay(persistenceId, fromSequenceNr, toSequenceNr, max,
                stored => recoveryCallback(stored.ToPersistent(persistenceId, _serialization, _defaultSerializer)));

    private static async Task<long> ReadAfter(Task write, PostgresJournalReads reads, string persistenceId, long fromSequenceNr)
    {
        await SerialJournalWrites.Over(write).ConfigureAwait(false);
        return await reads.HighestSequenceNr(persistenceId, fromSequenceNr).ConfigureAwait(false);
    }
}
