using Akka.Persistence;

namespace Streams.Host.Composition;

/// <summary>A database's plain statements for the snapshot writes an entity makes: a save, and the delete of every snapshot up to a number.</summary>
public interface IPlainSnapshotWrites
{
    Task Save(SnapshotMetadata metadata, object snapshot);

    Task DeleteUpTo(string persistenceId, long maxSequenceNr);
}
