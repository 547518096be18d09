using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>
/// The host's SQLite journal and snapshot store (Akka.Persistence.Sql with plain recovery reads and combined writes):
/// many actors persisting at once, some taking snapshots, all recover exactly what they wrote, in order, and go on
/// numbering their events from where they stopped.
/// </summary>
public sealed class SqliteJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streams-journal-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteJournalTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public Task Concurrent_writers_recover_every_event_in_order_with_and_without_snapshots() =>
        JournalScenarios.ConcurrentWritersRecoverEveryEventInOrder(Config(Database("journal.db")));

    [Fact]
    public Task One_atomic_write_longer_than_an_insert_statement_is_stored_whole_and_replays_in_order() =>
        JournalScenarios.OneAtomicWriteReplaysInOrder(Config(Database("batch.db")), 2 * SqliteJournalInserts.RowsPerStatement + 6);

    [Fact]
    public Task An_entity_back_on_a_node_it_left_recovers_the_events_of_every_stay() =>
        JournalScenarios.AnEntityBackOnANodeItLeftRecoversEveryEvent(Config(Database("moving.db")));

    [Fact]
    public async Task Combined_writes_answer_each_caller_its_own_slice()
    {
        var pending = new PendingJournalWrites();
        var first = pending.Add([Write("a", 1), Write("b", 1)]);
        var second = pending.Add([Write("a", 2)]);
        var writes = pending.Take(out var complete);
        Assert.Equal(["a", "b", "a"], writes.Select(w => w.PersistenceId));
        Assert.True(pending.IsEmpty);
        var rejected = new InvalidOperationException("not serializable");
        complete(Task.FromResult<System.Collections.Immutable.IImmutableList<Exception>>(
            System.Collections.Immutable.ImmutableList.Create<Exception>(null!, rejected, null!)));
        Assert.Equal(new Exception?[] { null, rejected }, await first);
        Assert.Equal(new Exception?[] { null }, await second);
    }

    [Fact]
    public async Task A_combined_write_that_fails_stores_none_of_its_rows_and_the_next_write_is_stored()
    {
        var connection = Database("conflict.db");
        var config = Config(connection);
        // The journal's own writes create the table and store "batch" 1 and 2.
        await JournalScenarios.OneAtomicWriteReplaysInOrder(config, 2);

        using var system = Akka.Actor.ActorSystem.Create("inserts", config);
        var journalConfig = new Akka.Persistence.Sql.Config.JournalConfig(
            config.GetConfig("akka.persistence.journal.sql").WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultJournalConfiguration));
        var writer = new SqliteWriter(connection);
        var inserts = SqliteJournalInserts.For(journalConfig, system.Serialization, writer);
        Assert.NotNull(inserts); // the host's configuration takes this path
        var rows = Enumerable.Range(1, SqliteJournalInserts.RowsPerStatement + 1).Select(n => Write("fresh", n)).Append(Write("batch", 2)).ToList();

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => inserts.TryWrite(rows)!);
        Assert.Equal(0L, Count(connection, "fresh"));

        Assert.Equal(new Exception?[] { null, null }, await inserts.TryWrite([Write("fresh", 1), Write("fresh", 2)])!);
        Assert.Equal(2L, Count(connection, "fresh"));
        writer.Close();
        await system.Terminate();
    }

    [Fact]
    public async Task Retired_inserts_finalize_their_statements_on_the_writer_that_stays_open()
    {
        var connection = Database("retire.db");
        var config = Config(connection);
        await JournalScenarios.OneAtomicWriteReplaysInOrder(config, 2); // creates the table

        using var system = Akka.Actor.ActorSystem.Create("retire", config);
        var journalConfig = new Akka.Persistence.Sql.Config.JournalConfig(
            config.GetConfig("akka.persistence.journal.sql").WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultJournalConfiguration));
        var writer = new SqliteWriter(connection);
        // SQLitePCL lists only the statements prepared after this.
        await writer.Write(w => w.Connection.Handle!.enable_sqlite3_next_stmt(true));
        var inserts = SqliteJournalInserts.For(journalConfig, system.Serialization, writer)!;
        Assert.Equal(new Exception?[] { null }, await inserts.TryWrite([Write("retire", 1)])!);
        var prepared = await writer.Write(w => PreparedStatements(w.Connection));

        await inserts.Retire();

        // The writer stays (the snapshot store still holds it): the two INSERTs are gone from its connection.
        Assert.Equal(prepared - 2, await writer.Write(w => PreparedStatements(w.Connection)));
        writer.Close();
        Assert.Equal(1L, Count(connection, "retire"));
        await system.Terminate();
    }

    private static int PreparedStatements(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var count = 0;
        for (var statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle!, null); statement is not null;
             statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle!, statement))
            count++;
        return count;
    }

    private static long Count(string connection, string persistenceId)
    {
        using var check = SqliteSql.Open(connection);
        using var query = check.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = $id";
        query.Parameters.AddWithValue("$id", persistenceId);
        return (long)query.ExecuteScalar()!;
    }

    [Fact]
    public async Task Highest_sequence_numbers_and_snapshot_checks_asked_at_once_answer_each_id_for_itself()
    {
        var connection = Database("lookups.db");
        var config = Config(connection);
        await JournalScenarios.OneAtomicWriteReplaysInOrder(config, 3); // creates the tables; "batch" holds 1..3
        using (var setup = SqliteSql.Open(connection))
        {
            using var transaction = setup.BeginTransaction();
            for (var id = 0; id < 40; id++)
            {
                // Id k holds events 1..k, the lower half marked deleted (deleted rows keep the highest number); even ids
                // have a snapshot. Ids with quotes and non-ASCII letters.
                for (var seq = 1; seq <= id; seq++)
                    Execute(setup, $"INSERT INTO journal (created, deleted, persistence_id, sequence_number, message) VALUES (0, {(seq <= id / 2 ? 1 : 0)}, $id, {seq}, x'00')", Id(id));
                if (id % 2 == 0 && id > 0)
                    Execute(setup, $"INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot) VALUES ($id, {id}, 0, x'00')", Id(id));
            }
            transaction.Commit();
        }

        var journal = SqliteJournalReads.For(new Akka.Persistence.Sql.Config.JournalConfig(
            config.GetConfig("akka.persistence.journal.sql").WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultJournalConfiguration)));
        var snapshots = SqliteSnapshotReads.For(new Akka.Persistence.Sql.Config.SnapshotConfig(
            config.GetConfig("akka.persistence.snapshot-store.sql").WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultSnapshotConfiguration)));
        Assert.NotNull(journal);
        Assert.NotNull(snapshots);
        // 200 reads at once, every id several times with different lower bounds, and ids without any row.
        var asked = Enumerable.Range(0, 200).Select(i => (Id: i % 50, From: (long)(i % 7))).ToList();
        var highest = await Task.WhenAll(asked.Select(a => Task.Run(() => journal.HighestSequenceNr(Id(a.Id), a.From))));
        var withSnapshot = await Task.WhenAll(asked.Select(a => Task.Run(() => snapshots.HasSnapshot(Id(a.Id)))));
        for (var i = 0; i < asked.Count; i++)
        {
            var (id, from) = asked[i];
            var stored = id < 40 ? id : 0;
            Assert.Equal(stored > from ? stored : 0, highest[i]);
            Assert.Equal(id < 40 && id % 2 == 0 && id > 0, withSnapshot[i]);
        }
        Assert.Equal(3, journal.HighestSequenceNr("batch", 0));
        Assert.Equal(0, journal.HighestSequenceNr("batch", 3));

        static string Id(int id) => $"sensor-pegel-\"Lemgo\"-Bega-ü-{id}";
    }

    [Fact]
    public async Task A_start_reads_the_same_latest_snapshot_by_the_plain_query_as_through_the_plugin()
    {
        var connection = Database("snapshots.db");
        var config = ConfigurationFactory.ParseString($$"""
            akka.persistence.snapshot-store.plugin-only {
              class = "{{typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore).AssemblyQualifiedName}}"
              connection-string = "{{connection}}"
              provider-name = "SQLite.MS"
            }
            """).WithFallback(Config(connection));
        using var system = Akka.Actor.ActorSystem.Create("snapshots", config);
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        var ours = persistence.SnapshotStoreFor(null);
        var plugin = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.plugin-only");
        var timeout = TimeSpan.FromSeconds(30);
        // Id k holds snapshots 1..k (saved out of order), id 0 none; ids with quotes and non-ASCII letters.
        for (var id = 1; id < 8; id++)
            foreach (var seq in Enumerable.Range(1, id).OrderBy(n => (n * 7) % id))
            {
                var metadata = new SnapshotMetadata(Id(id), seq, new DateTime(2026, 12, 2, 10, id, seq, DateTimeKind.Utc));
                await ours.Ask<SaveSnapshotSuccess>(new SaveSnapshot(metadata, $"state of {id} at {seq}"), timeout);
            }

        for (var id = 0; id < 8; id++)
        {
            var load = new LoadSnapshot(Id(id), SnapshotSelectionCriteria.Latest, long.MaxValue);
            var read = (await ours.Ask<LoadSnapshotResult>(load, timeout)).Snapshot;
            var expected = (await plugin.Ask<LoadSnapshotResult>(load, timeout)).Snapshot;
            if (id == 0)
            {
                Assert.Null(read);
                Assert.Null(expected);
                continue;
            }
            Assert.NotNull(read);
            Assert.NotNull(expected);
            Assert.Equal(id, read.Metadata.SequenceNr);
            Assert.Equal(expected.Metadata, read.Metadata);
            Assert.Equal(expected.Metadata.Timestamp, read.Metadata.Timestamp);
            Assert.Equal($"state of {id} at {id}", read.Snapshot);
            Assert.Equal(expected.Snapshot, read.Snapshot);
        }
        await system.Terminate();

        static string Id(int id) => $"sensor-pegel-\"Lemgo\"-Bega-ü-{id}";
    }

    private static void Execute(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void The_journal_connections_wait_for_a_locked_database_in_SQLites_busy_handler()
    {
        // Without the handler, Microsoft.Data.Sqlite sleeps 150 ms per try on a locked database.
        using var connection = SqliteSql.Open(Database("busy.db"));
        using var query = connection.CreateCommand();
        query.CommandText = "PRAGMA busy_timeout;";

        Assert.Equal((long)SqliteSql.BusyTimeoutMs, query.ExecuteScalar());
    }

    private string Database(string file)
    {
        var connection = $"Data Source={Path.Combine(_dir, file)}";
        SqliteTuning.UseWriteAheadLog(connection);
        return connection;
    }

    private static AtomicWrite Write(string persistenceId, long sequenceNr) =>
        new(new Persistent(sequenceNr, sequenceNr, persistenceId));

    private static Config Config(string connection) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        {{PersistenceSetup.ReplayFilterOff}}
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          class = "{{typeof(SqliteWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{connection}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
          parallelism = 1
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
        akka.persistence.snapshot-store.sql {
          class = "{{typeof(SqliteSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{connection}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
        }
        """);
}
