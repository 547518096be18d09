using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Snapshot;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's snapshot store that answers "no snapshot" for a persistence id without any by the subclass's
/// plain query (every new subject's first start asks), and loads real snapshots through the plugin as before.
/// </summary>
public abstract class SnapshotStoreWithPlainCheck : SqlSnapshotStore
{
    protected SnapshotStoreWithPlainCheck(Config snapshotConfig) : base(snapshotConfig)
    {
        Config = new SnapshotConfig(snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration));
    }

    protected SnapshotConfig Config { get; }

    /// <summary>Whether <paramref name="persistenceId"/> has any snapshot; null when the configuration is not one the plain query covers.</summary>
    protected abstract Task<bool>? HasSnapshot(string persistenceId);

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        Task<bool>? any;
        try
        {
            any = HasSnapshot(persistenceId);
        }
        catch (Exception e)
        {
            return Task.FromException<SelectedSnapshot?>(e);
        }
        return any is null ? base.LoadAsync(persistenceId, criteria, cancellationToken) : LoadIfAny(any, persistenceId, criteria, cancellationToken);
    }

    private async Task<SelectedSnapshot?> LoadIfAny(Task<bool> any, string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        await any.ConfigureAwait(false) ? await base.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false) : null;
}
