using Akka.Configuration;

namespace Streams.Host.Composition;

/// <summary>The plugin's snapshot store on PostgreSQL, "no snapshot" answered by <see cref="PostgresSnapshotReads"/>.</summary>
public sealed class PostgresSnapshotStore : SnapshotStoreWithPlainCheck
{
    private readonly PostgresSnapshotReads? _reads;

    public PostgresSnapshotStore(Config snapshotConfig) : base(snapshotConfig) => _reads = PostgresSnapshotReads.For(Config);

    protected override Task<bool>? HasSnapshot(string persistenceId) => _reads?.HasSnapshot(persistenceId);
}
