using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Snapshot;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's snapshot store that answers "no snapshot" for a persistence id without any with one plain
/// SQLite query (<see cref="SqliteSnapshotReads"/>) — every new subject's first start — and loads real snapshots
/// through the plugin as before.
/// </summary>
public sealed class SqliteSnapshotStore : SqlSnapshotStore
{
    private readonly SqliteSnapshotReads? _reads;

    public SqliteSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _reads = SqliteSnapshotReads.For(new SnapshotConfig(snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration)));
    }

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (_reads is null) return base.LoadAsync(persistenceId, criteria, cancellationToken);
        try
        {
            return _reads.HasSnapshot(persistenceId) ? base.LoadAsync(persistenceId, criteria, cancellationToken) : Task.FromResult<SelectedSnapshot?>(null);
        }
        catch (Exception e)
        {
            return Task.FromException<SelectedSnapshot?>(e);
        }
    }
}
