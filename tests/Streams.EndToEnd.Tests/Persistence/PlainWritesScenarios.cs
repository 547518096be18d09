using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>
/// Our plain statements for a snapshot's save, the delete of snapshots below a number and the delete of events leave
/// the same rows as Akka.Persistence.Sql's own statements: the same operations go to our journal and snapshot store
/// ("ours") on one database and to the plugin's ("plugin-only") on another, and the tables are compared row by row.
/// </summary>
public static class PlainWritesScenarios
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads every row of a table as text, in a fixed order: (ours?, table, columns).</summary>
    public delegate List<string> TableRows(bool ours, string table, string columns);

    /// <summary>Every row <paramref name="reader"/> returns as text (blobs in hex), sorted.</summary>
    public static List<string> RowsAsText(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i).ToString())));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <param name="plainWrites">Our store's plain writes for the system's configuration: not null, or the test would compare the plugin with itself.</param>
    public static async Task SnapshotSavesReplacementsAndDeletesLeaveThePluginsRows(Config config, TableRows rows, Func<ActorSystem, object?> plainWrites)
    {
        using var system = ActorSystem.Create("snapshot-writes", config);
        Assert.NotNull(plainWrites(system));
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        var ours = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.ours");
        var plugin = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.plugin-only");

        foreach (var store in new[] { ours, plugin })
        {
            for (var id = 0; id < 4; id++)
                for (var seq = 1; seq <= 6; seq++)
                    await store.Ask<SaveSnapshotSuccess>(new SaveSnapshot(Metadata(id, seq), $"state of {id} at {seq}"), Timeout);
            // Saved again at the same number: the row is replaced, not added.
            await store.Ask<SaveSnapshotSuccess>(new SaveSnapshot(Metadata(1, 6), "state of 1 at 6, again"), Timeout);
            // As a sensor deletes after its snapshot at 6; one id beyond its highest, one below its lowest.
            await store.Ask<DeleteSnapshotsSuccess>(new DeleteSnapshots(Id(1), new SnapshotSelectionCriteria(5)), Timeout);
            await store.Ask<DeleteSnapshotsSuccess>(new DeleteSnapshots(Id(2), new SnapshotSelectionCriteria(100)), Timeout);
            await store.Ask<DeleteSnapshotsSuccess>(new DeleteSnapshots(Id(3), new SnapshotSelectionCriteria(0)), Timeout);
        }

        var ourRows = rows(true, "snapshot", "*");
        Assert.Equal(rows(false, "snapshot", "*"), ourRows);
        Assert.Equal(6 + 1 + 0 + 6, ourRows.Count);
        var latest = (await ours.Ask<LoadSnapshotResult>(new LoadSnapshot(Id(1), SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout)).Snapshot;
        Assert.Equal("state of 1 at 6, again", latest?.Snapshot);
        await system.Terminate();
    }

    public static async Task EventDeletesLeaveThePluginsRowsAndKeepTheHighestSequenceNumber(Config config, TableRows rows, string tagTable)
    {
        using (var system = ActorSystem.Create("event-deletes", config))
        {
            foreach (var journal in new[] { "ours", "plugin-only" })
            {
                // Id k holds 8 events; every third is tagged, so the tag table has rows to delete too.
                var writers = Enumerable.Range(0, 5).Select(id => system.ActorOf(Props.Create(() => new Writer(Id(id), journal)))).ToList();
                foreach (var writer in writers) Assert.Equal(8L, await writer.Ask<long>(8, Timeout));
                Assert.Equal(8L, await writers[0].Ask<long>(new Delete(3), Timeout)); // a part
                Assert.Equal(8L, await writers[1].Ask<long>(new Delete(8), Timeout)); // every event: the highest row stays, marked
                Assert.Equal(8L, await writers[2].Ask<long>(new Delete(long.MaxValue), Timeout)); // "all there are"
                Assert.Equal(8L, await writers[3].Ask<long>(new Delete(2), Timeout)); // twice, the second further
                Assert.Equal(8L, await writers[3].Ask<long>(new Delete(6), Timeout));
                foreach (var writer in writers) await writer.GracefulStop(Timeout);
            }
            await system.Terminate();
        }

        const string columns = "persistence_id, sequence_number, deleted, message";
        var journalRows = rows(true, "journal", columns);
        Assert.Equal(rows(false, "journal", columns), journalRows);
        Assert.Equal(6 + 1 + 1 + 3 + 8, journalRows.Count);
        var tagRows = rows(true, tagTable, "tag, sequence_nr, persistence_id");
        Assert.Equal(rows(false, tagTable, "tag, sequence_nr, persistence_id"), tagRows);
        Assert.Equal(2 + 0 + 0 + 1 + 2, tagRows.Count); // the tags of the rows that stay, marked or not

        // A new incarnation numbers on from the highest number and recovers only what was not deleted.
        using (var system = ActorSystem.Create("after-deletes", config))
        {
            foreach (var journal in new[] { "ours", "plugin-only" })
            {
                var all = system.ActorOf(Props.Create(() => new Writer(Id(1), journal)));
                Assert.Equal("", await all.Ask<string>("recovered", Timeout));
                Assert.Equal(9L, await all.Ask<long>(1, Timeout));
                var part = system.ActorOf(Props.Create(() => new Writer(Id(0), journal)));
                Assert.Equal("4,5,6,7,8", await part.Ask<string>("recovered", Timeout));
            }
            await system.Terminate();
        }
    }

    private static SnapshotMetadata Metadata(int id, long seq) => new(Id(id), seq, new DateTime(2026, 12, 2, 13, id, (int)seq, DateTimeKind.Utc));

    private static string Id(int id) => $"sensor-pegel-'Lemgo'-\"Bega\"-ü-{id}";

    private sealed record Delete(long ToSequenceNr);

    /// <summary>
    /// Persists the next n events when told n (every third tagged), deletes up to a number when told <see cref="Delete"/>,
    /// and answers its highest sequence number once that is durable; "recovered" answers the events it recovered.
    /// </summary>
    private sealed class Writer : UntypedPersistentActor
    {
        private readonly List<int> _recovered = [];
        private IActorRef? _deleting;

        public Writer(string id, string journal)
        {
            PersistenceId = id;
            JournalPluginId = $"akka.persistence.journal.{journal}";
        }

        public override string PersistenceId { get; }

        protected override void OnRecover(object message)
        {
            if (message is int n) _recovered.Add(n);
        }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case int count:
                    var first = (int)LastSequenceNr + 1;
                    var events = Enumerable.Range(first, count).Select(n => n % 3 == 0 ? (object)new Tagged(n, ["every-third"]) : n);
                    var asker = Sender;
                    var left = count;
                    PersistAll(events, _ =>
                    {
                        if (--left == 0) asker.Tell(LastSequenceNr);
                    });
                    break;
                case Delete delete:
                    _deleting = Sender;
                    DeleteMessages(delete.ToSequenceNr);
                    break;
                case DeleteMessagesSuccess:
                    _deleting?.Tell(LastSequenceNr);
                    break;
                case DeleteMessagesFailure failure:
                    _deleting?.Tell(new Status.Failure(failure.Cause));
                    break;
                case "recovered":
                    Sender.Tell(string.Join(",", _recovered));
                    break;
            }
        }
    }
}
