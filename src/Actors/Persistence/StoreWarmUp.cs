using Akka;
using Akka.Actor;
using Akka.Persistence;
using Streams.Actors.Entities;

namespace Streams.Actors.Persistence;

/// <summary>The warm-up's event and snapshot: the sequence number it was written at.</summary>
public sealed record StoreWarmUpMark(long SequenceNr) : IStreamsMessage;

/// <summary>
/// Goes once through every kind of call the entities make to the journal and the snapshot store: a recovery, an event,
/// a snapshot, the deletes that follow a snapshot and, in a second incarnation, a recovery from that snapshot. The
/// persistence plugin (linq2db) builds and compiles each kind of query the first time it is used, hundreds of methods;
/// in the middle of work (the municipalities' first snapshots, 30 s after start) that held alerts for up to a second.
/// Done at start, that work is done before the node is ready, and it shows that the store takes writes.
/// Completes <c>done</c> and stops; a failure fails it and stops the actor (Akka's rule after a failed write).
/// </summary>
public sealed class StoreWarmUp : ReceivePersistentActor
{
    private readonly TaskCompletionSource<Done> _done;
    private int _deletesPending;

    public StoreWarmUp(string persistenceId, bool recoverOnly, TaskCompletionSource<Done> done)
    {
        PersistenceId = persistenceId;
        _done = done;
        Recover<StoreWarmUpMark>(_ => { });
        Recover<SnapshotOffer>(_ => { });
        Recover<RecoveryCompleted>(_ =>
        {
            if (recoverOnly) Finish();
            else Persist(new StoreWarmUpMark(LastSequenceNr + 1), mark => SaveSnapshot(mark));
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            _deletesPending = 2;
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<DeleteMessagesSuccess>(_ => DeleteDone());
        Command<DeleteSnapshotsSuccess>(_ => DeleteDone());
        Command<SaveSnapshotFailure>(f => Fail(f.Cause));
        Command<DeleteMessagesFailure>(f => Fail(f.Cause));
        Command<DeleteSnapshotsFailure>(f => Fail(f.Cause));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, bool recoverOnly, TaskCompletionSource<Done> done) =>
        Akka.Actor.Props.Create(() => new StoreWarmUp(persistenceId, recoverOnly, done));

    private void DeleteDone()
    {
        if (--_deletesPending == 0) Finish();
    }

    private void Finish()
    {
        _done.TrySetResult(Done.Instance);
        Context.Stop(Self);
    }

    private void Fail(Exception cause)
    {
        _done.TrySetException(cause);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _done.TrySetException(reason);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _done.TrySetException(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _done.TrySetException(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }
}
