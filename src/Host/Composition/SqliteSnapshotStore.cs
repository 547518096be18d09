using Akka.Configuration;

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

    protected override IPlainSnapshotWrites? PlainWrites => _writes;
}
