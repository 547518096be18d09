using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Snapshot;

namespace Streams.Host.Composition;

/// <summary>
/// Akka.Persistence.Sql's snapshot store that answers "no snapshot" for a persistence id without any by the subclass's
/// plain query (every new subject's first start asks), and reads the latest snapshot (every start asks for it) by the
/// subclass's plain query where it has one; other selections load through the plugin as before. A save and the delete
/// an entity makes after a snapshot go through the subclass's plain writes where it has them.
/// </summary>
public abstract class SnapshotStoreWithPlainCheck : SqlSnapshotStore
{
    private readonly Akka.Serialization.Serialization _serialization = Context.System.Serialization;

    protected SnapshotStoreWithPlainCheck(Config snapshotConfig) : base(snapshotConfig)
    {
        Config = new SnapshotConfig(snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration));
    }

    protected SnapshotConfig Config { get; }

    /// <summary>Whether <paramref name="persistenceId"/> has any snapshot; null when the configuration is not one the plain query covers.</summary>
    protected abstract Task<bool>? HasSnapshot(string persistenceId);

    /// <summary>The row of <paramref name="persistenceId"/>'s latest snapshot (null inside: none); null when no plain query covers it.</summary>
    protected virtual Task<StoredSnapshot?>? LatestSnapshot(string persistenceId) => null;

    /// <summary>The plain statements for saves and deletes; null when the configuration is not one they cover.</summary>
    protected abstract IPlainSnapshotWrites? PlainWrites { get; }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken) =>
        PlainWrites is { } writes ? writes.Save(metadata, snapshot) : base.SaveAsync(metadata, snapshot, cancellationToken);

    /// <summary>The selection an entity deletes with after a snapshot (every snapshot up to a number) is plain; others are the plugin's.</summary>
    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        PlainWrites is { } writes && criteria.MaxSequenceNr != long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
            ? writes.DeleteUpTo(persistenceId, criteria.MaxSequenceNr)
            : base.DeleteAsync(persistenceId, criteria, cancellationToken);

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        Task<bool>? any;
        try
        {
            // The plugin's own test for its latest-snapshot query (a recovery's default selection).
            if (criteria.MaxSequenceNr == long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
                && LatestSnapshot(persistenceId) is { } latest)
                return LoadLatest(latest, persistenceId, criteria, cancellationToken);
            any = HasSnapshot(persistenceId);
        }
        catch (Exception e)
        {
            return Task.FromException<SelectedSnapshot?>(e);
        }
        return any is null ? base.LoadAsync(persistenceId, criteria, cancellationToken) : LoadIfAny(any, persistenceId, criteria, cancellationToken);
    }

    private async Task<SelectedSnapshot?> LoadLatest(Task<StoredSnapshot?> latest, string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (await latest.ConfigureAwait(false) is not { } row) return null;
        return row.ToSelected(persistenceId, _serialization)
               ?? await base.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SelectedSnapshot?> LoadIfAny(Task<bool> any, string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        await any.ConfigureAwait(false) ? await base.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false) : null;
}
