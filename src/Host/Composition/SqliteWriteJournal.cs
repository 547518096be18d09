using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's journal on SQLite with four changes: the highest-sequence-number read and the replay of a
/// recovery are plain queries (<see cref="SqliteJournalReads"/>), the writes that arrive while a write is running go to the database
/// together as one write once it is done (<see cref="PendingJournalWrites"/>), and that write is our prepared INSERTs
/// (<see cref="SqliteJournalInserts"/>; rows with tags keep the plugin's insert); a delete is plain statements too
/// (<see cref="SqliteJournalDeletes"/>). Inserts and deletes go through the database's <see cref="SqliteWriter"/>,
/// shared with the snapshot store.
/// </summary>
/// <remarks>
/// The plugin batches queued writes itself, but Microsoft.Data.Sqlite runs synchronously inside the plugin's write
/// stream, so the next write was taken alone before the others reached the queue: every event was its own INSERT,
/// transaction and fsync. A combined write is one transaction: it succeeds or fails as a whole, as the plugin's own
/// batches do. A highest-sequence-number read for a persistence id with a write running or waiting first waits for
/// that write (the plugin does the same for its running writes).
/// </remarks>
public sealed class SqliteWriteJournal : CombinedWritesJournal
{
    private readonly SqliteJournalReads? _reads;
    private readonly SqliteJournalInserts? _inserts;
    private readonly SqliteJournalDeletes? _deletes;
    private readonly SqliteWriter? _writer;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;

    public SqliteWriteJournal(Config journalConfig) : base(journalConfig)
    {
        var config = new JournalConfig(journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration));
        _reads = SqliteJournalReads.For(config);
        _serialization = Context.System.Serialization;
        _defaultSerializer = config.DefaultSerializer;
        if (_reads is null) return;
        _writer = SqliteWriter.Acquire(config.ConnectionString);
        _inserts = SqliteJournalInserts.For(config, _serialization, _writer);
        _deletes = SqliteJournalDeletes.For(config, _writer);
    }

    /// <summary>With the plain reads every write goes through <see cref="CombinedWritesJournal.Writes"/>, so that a highest-number read can wait for it.</summary>
    protected override bool CombinesWrites => _reads is not null;

    protected override Task<IImmutableList<Exception>>? TryWriteOwn(IReadOnlyList<AtomicWrite> writes) => _inserts?.TryWrite(writes);

    protected override void PostStop()
    {
        // A failed retire is not news: the writer's close finalizes the statements then.
        _inserts?.Retire().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        _writer?.Release();
        base.PostStop();
    }

    /// <summary>
    /// The plugin's replay as one plain query (<see cref="SqliteJournalReads.Replay"/>), off the journal's thread; events
    /// become <see cref="Persistent"/> as the plugin makes them (serializer id and manifest, writer id, timestamp).
    /// </summary>
    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        if (_reads is null) return base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
        var reads = _reads;
        return Task.Run(() => reads.Replay(persistenceId, fromSequenceNr, toSequenceNr, max,
            stored => recoveryCallback(stored.ToPersistent(persistenceId, _serialization, _defaultSerializer))));
    }

    /// <summary>The plugin's delete as plain statements (<see cref="SqliteJournalDeletes"/>), in a transaction of the writer.</summary>
    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        _deletes is null ? base.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken) : _deletes.DeleteTo(persistenceId, toSequenceNr);

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_reads is null) return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        return Writes.InFlight(persistenceId) is { } write
            ? ReadAfter(write, _reads, persistenceId, fromSequenceNr)
            : Read(_reads, persistenceId, fromSequenceNr);
    }

    private static async Task<long> ReadAfter(Task write, SqliteJournalReads reads, string persistenceId, long fromSequenceNr)
    {
        await SerialJournalWrites.Over(write).ConfigureAwait(false);
        return reads.HighestSequenceNr(persistenceId, fromSequenceNr);
    }

    private static Task<long> Read(SqliteJournalReads reads, string persistenceId, long fromSequenceNr)
    {
        try
        {
            return Task.FromResult(reads.HighestSequenceNr(persistenceId, fromSequenceNr));
        }
        catch (Exception e)
        {
            return Task.FromException<long>(e);
        }
    }
}
