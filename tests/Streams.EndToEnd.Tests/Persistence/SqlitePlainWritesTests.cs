using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Microsoft.Data.Sqlite;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>
/// The host's plain SQLite statements for a snapshot's save, the delete of snapshots below a number and the delete of
/// events leave the same rows as Akka.Persistence.Sql's own statements: the same operations go to our store on one
/// database and to the plugin's on another, and the tables are compared row by row.
/// </summary>
public sealed class SqlitePlainWritesTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streams-plain-writes-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _ours;
    private readonly string _plugins;

    public SqlitePlainWritesTests()
    {
        Directory.CreateDirectory(_dir);
        _ours = Database("ours.db");
        _plugins = Database("plugin.db");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Snapshot_saves_replacements_and_deletes_up_to_a_number_leave_the_plugins_rows()
    {
        using var system = ActorSystem.Create("snapshot-writes", Config());
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        var ours = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.ours");
        var plugin = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.plugin-only");
        Assert.NotNull(SqliteSnapshotWrites.For(SnapshotConfigOf(system, "ours"), system.Serialization)); // the host's configuration takes this path

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

        var rows = Rows(_ours, "snapshot");
        Assert.Equal(Rows(_plugins, "snapshot"), rows);
        Assert.Equal(6 + 1 + 0 + 6, rows.Count);
        var latest = (await ours.Ask<LoadSnapshotResult>(new LoadSnapshot(Id(1), SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout)).Snapshot;
        Assert.Equal("state of 1 at 6, again", latest?.Snapshot);
        await system.Terminate();
    }

    [Fact]
    public async Task Event_deletes_leave_the_plugins_rows_and_keep_the_highest_sequence_number()
    {
        using (var system = ActorSystem.Create("event-deletes", Config()))
        {
            Assert.NotNull(SqliteJournalDeletes.For(JournalConfigOf(system, "ours"))); // the host's configuration takes this path
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

        var journalRows = Rows(_ours, "journal", "persistence_id, sequence_number, deleted, message");
        Assert.Equal(Rows(_plugins, "journal", "persistence_id, sequence_number, deleted, message"), journalRows);
        Assert.Equal(6 + 1 + 1 + 3 + 8, journalRows.Count);
        var tagRows = Rows(_ours, TagTable(), "*");
        Assert.Equal(Rows(_plugins, TagTable(), "*"), tagRows);
        Assert.Equal(2 + 0 + 0 + 1 + 2, tagRows.Count); // the tags of the rows that stay, marked or not

        // A new incarnation numbers on from the highest number and recovers only what was not deleted.
        using (var system = ActorSystem.Create("after-deletes", Config()))
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

    private string TagTable() => new JournalConfig(Config().GetConfig("akka.persistence.journal.ours")
        .WithFallback(SqlPersistence.DefaultJournalConfiguration)).TableConfig.TagTable.Name;

    private static SnapshotMetadata Metadata(int id, long seq) => new(Id(id), seq, new DateTime(2026, 12, 2, 13, id, (int)seq, DateTimeKind.Utc));

    private static string Id(int id) => $"sensor-pegel-\"Lemgo\"-Bega-ü-{id}";

    private static SnapshotConfig SnapshotConfigOf(ActorSystem system, string store) =>
        new(system.Settings.Config.GetConfig($"akka.persistence.snapshot-store.{store}").WithFallback(SqlPersistence.DefaultSnapshotConfiguration));

    private static JournalConfig JournalConfigOf(ActorSystem system, string journal) =>
        new(system.Settings.Config.GetConfig($"akka.persistence.journal.{journal}").WithFallback(SqlPersistence.DefaultJournalConfiguration));

    /// <summary>Every row of <paramref name="table"/> as text, in a fixed order.</summary>
    private static List<string> Rows(string connectionString, string table, string columns = "*")
    {
        using var connection = SqliteSql.Open(connectionString);
        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {columns} FROM \"{table}\"";
        using var reader = query.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                .Where(i => reader.GetName(i) != "ordering_id") // numbered by each database's own sequence
                .Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i).ToString())));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private string Database(string file)
    {
        var connection = $"Data Source={Path.Combine(_dir, file)}";
        SqliteTuning.UseWriteAheadLog(connection);
        return connection;
    }

    private Config Config() => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        {{PersistenceSetup.ReplayFilterOff}}
        akka.persistence.journal.plugin = "akka.persistence.journal.ours"
        akka.persistence.journal.ours {
          class = "{{typeof(SqliteWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{_ours}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
          parallelism = 1
        }
        akka.persistence.journal.plugin-only {
          class = "{{typeof(Akka.Persistence.Sql.Journal.SqlWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{_plugins}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
          parallelism = 1
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.ours"
        akka.persistence.snapshot-store.ours {
          class = "{{typeof(SqliteSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{_ours}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
        }
        akka.persistence.snapshot-store.plugin-only {
          class = "{{typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{_plugins}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
        }
        """);

    private sealed record Delete(long ToSequenceNr);

    /// <summary>
    /// Persists events 1..n when told n (every third tagged), deletes up to a number when told <see cref="Delete"/>,
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
