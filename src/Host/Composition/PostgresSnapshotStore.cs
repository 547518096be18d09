using Akka.Configuration;

namespace Streams.Host.Composition;

/// <summary>
/// The plugin's snapshot store on PostgreSQL; the latest snapshot and "no snapshot" read by <see cref="PostgresSnapshotReads"/>,
/// a save and the delete of the snapshots below a number written by <see cref="PostgresSnapshotWrites"/>.
/// </summary>
public sealed class PostgresSnapshotStore : SnapshotStoreWithPlainCheck
{
    private readonly PostgresSnapshotReads? _reads;
    private readonly PostgresSnapshotWrites? _writes;

    public PostgresSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _reads = PostgresSnapshotReads.For(Config);
        _writes = PostgresSnapshotWrites.For(Config, Context.System.Serialization);
    }

    protected override Task<bool>? HasSnapshot(string persistenceId) => _reads?.HasSnapshot(persistenceId);

    protected override Task<StoredSnapshot?>? LatestSnapshot(string persistenceId) => _reads?.Latest(persistenceId);

    protected override IPlainSnapshotWrites? PlainWrites => _writes;
}
