using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Snapshot;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's snapshot store that answers "no snapshot" for a persistence id without any with one plain
/// PostgreSQL query (<see cref="PostgresSnapshotReads"/>) and loads real snapshots through the plugin as before.
/// </summary>
public sealed class PostgresSnapshotStore : SqlSnapshotStore
{
    private readonly PostgresSnapshotReads? _reads;

    public PostgresSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _reads = PostgresSnapshotReads.For(new SnapshotConfig(snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration)));
    }

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _reads is null ? base.LoadAsync(persistenceId, criteria, cancellationToken) : LoadIfAny(_reads, persistenceId, criteria, cancellationToken);

    private async Task<SelectedSnapshot?> LoadIfAny(PostgresSnapshotReads reads, string persistenceId, SnapshotSelectionCriteria criteria,
        CancellationToken cancellationToken) =>
        await reads.HasSnapshot(persistenceId).ConfigureAwait(false)
            ? await base.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false)
            : null;
}
