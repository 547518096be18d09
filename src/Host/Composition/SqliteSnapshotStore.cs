using Akka.Configuration;

namespace Streams.Host.Composition;

/// <summary>The plugin's snapshot store on SQLite; the latest snapshot and "no snapshot" read by <see cref="SqliteSnapshotReads"/>.</summary>
public sealed class SqliteSnapshotStore : SnapshotStoreWithPlainCheck
{
    private readonly SqliteSnapshotReads? _reads;

    public SqliteSnapshotStore(Config snapshotConfig) : base(snapshotConfig) => _reads = SqliteSnapshotReads.For(Config);

    protected override Task<bool>? HasSnapshot(string persistenceId) => _reads is null ? null : Task.FromResult(_reads.HasSnapshot(persistenceId));

    protected override Task<StoredSnapshot?>? LatestSnapshot(string persistenceId) => _reads is null ? null : Task.FromResult(_reads.Latest(persistenceId));
}
