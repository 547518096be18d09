using Akka.Configuration;
using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>
/// The plugin's snapshot store on SQLite; the latest snapshot and "no snapshot" read by <see cref="SqliteSnapshotReads"/>,
/// a save and the delete of the snapshots below a number written by <see cref="SqliteSnapshotWrites"/> through the
/// database's <see cref="SqliteWriter"/>, which it shares with the journal.
/// </summary>
public sealed class SqliteSnapshotStore : SnapshotStoreWithPlainCheck
{
    private readonly SqliteSnapshotReads? _reads;
    private readonly SqliteSnapshotWrites? _writes;
    private readonly SqliteWriter? _writer;

    public SqliteSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _reads = SqliteSnapshotReads.For(Config);
        if (_reads is null) return; // not plain SQLite: every write is the plugin's
        _writer = SqliteWriter.Acquire(Config.ConnectionString);
        _writes = SqliteSnapshotWrites.For(Config, Context.System.Serialization, _writer);
    }

    protected override void PostStop()
    {
        _writer?.Release();
        base.PostStop();
    }

    protected override Task<bool>? HasSnapshot(string persistenceId) => _reads is null ? null : Task.FromResult(_reads.HasSnapshot(persistenceId));

    protected override Task<StoredSnapshot?>? LatestSnapshot(string persistenceId) => _reads is null ? null : Task.FromResult(_reads.Latest(persistenceId));

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken) =>
        _writes is null ? base.SaveAsync(metadata, snapshot, cancellationToken) : _writes.Save(metadata, snapshot);

    /// <summary>The selection an entity deletes with after a snapshot (every snapshot up to a number) is plain; others are the plugin's.</summary>
    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _writes is not null && criteria.MaxSequenceNr != long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
            ? _writes.DeleteUpTo(persistenceId, criteria.MaxSequenceNr)
            : base.DeleteAsync(persistenceId, criteria, cancellationToken);
}
