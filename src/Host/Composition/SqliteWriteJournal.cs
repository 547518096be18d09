using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's journal with the highest-sequence-number read of a recovery as one plain SQLite query
/// (<see cref="SqliteRecoveryReads"/>). Writes, replays and deletes are the plugin's own.
/// </summary>
/// <remarks>
/// Like the plugin, a read for a persistence id whose write is still in flight (an entity restarted meanwhile) waits
/// for that write: it goes through the plugin's own path, which does.
/// </remarks>
public sealed class SqliteWriteJournal : SqlWriteJournal
{
    private readonly SqliteRecoveryReads? _reads;
    private readonly ConcurrentDictionary<string, Task> _writing = new(StringComparer.Ordinal);

    public SqliteWriteJournal(Config journalConfig) : base(journalConfig)
    {
        _reads = SqliteRecoveryReads.ForJournal(new JournalConfig(journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration)));
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var future = base.WriteMessagesAsync(writes, cancellationToken);
        if (writes.Count > 0)
        {
            var persistenceId = writes[0].PersistenceId;
            _writing[persistenceId] = future;
            future.ContinueWith(done => _writing.TryRemove(new KeyValuePair<string, Task>(persistenceId, done)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return future;
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_reads is null || _writing.ContainsKey(persistenceId))
            return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        try
        {
            return Task.FromResult(_reads.HighestSequenceNr(persistenceId, fromSequenceNr));
        }
        catch (Exception e)
        {
            return Task.FromException<long>(e);
        }
    }
}
