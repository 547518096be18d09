using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's journal on PostgreSQL with its replay as one plain query (<see cref="PostgresJournalReads"/>);
/// writes, the highest-sequence-number read (which waits for writes in flight) and deletes stay the plugin's.
/// </summary>
public sealed class PostgresWriteJournal : SqlWriteJournal
{
    private readonly PostgresJournalReads? _reads;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _defaultSerializer;

    public PostgresWriteJournal(Config journalConfig) : base(journalConfig)
    {
        var config = new JournalConfig(journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration));
        _reads = PostgresJournalReads.For(config);
        _serialization = Context.System.Serialization;
        _defaultSerializer = config.DefaultSerializer;
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) =>
        _reads is null
            ? base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback)
            : _reads.Replay(persistenceId, fromSequenceNr, toSequenceNr, max,
                stored => recoveryCallback(stored.ToPersistent(persistenceId, _serialization, _defaultSerializer)));
}
