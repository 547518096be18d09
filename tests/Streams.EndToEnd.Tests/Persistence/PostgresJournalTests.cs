using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Npgsql;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>
/// The host's PostgreSQL journal (Akka.Persistence.Sql with plain reads, writes combined one at a time into a binary
/// COPY): the same guarantees as on SQLite, and a combined write that fails stores none of its rows.
/// </summary>
public sealed class PostgresJournalTests
{
    [PostgresFact]
    public Task Concurrent_writers_recover_every_event_in_order_with_and_without_snapshots() =>
        JournalScenarios.ConcurrentWritersRecoverEveryEventInOrder(Config(Postgres.CreateDatabase()));

    [PostgresFact]
    public Task An_entity_back_on_a_node_it_left_recovers_the_events_of_every_stay() =>
        JournalScenarios.AnEntityBackOnANodeItLeftRecoversEveryEvent(Config(Postgres.CreateDatabase()));

    [PostgresFact]
    public Task One_atomic_write_of_many_events_is_stored_whole_and_replays_in_order() =>
        JournalScenarios.OneAtomicWriteReplaysInOrder(Config(Postgres.CreateDatabase()), 70);

    [PostgresFact]
    public async Task A_combined_write_that_fails_stores_none_of_its_rows()
    {
        var connection = Postgres.CreateDatabase();
        var config = Config(connection);
        // The journal's own writes create the table and store "taken" 1 and 2.
        await JournalScenarios.OneAtomicWriteReplaysInOrder(config, 2);
        await using (var rename = new NpgsqlConnection(connection))
        {
            await rename.OpenAsync();
            await new NpgsqlCommand("UPDATE journal SET persistence_id = 'taken' WHERE persistence_id = 'batch'", rename).ExecuteNonQueryAsync();
        }

        using var system = ActorSystem.Create("inserts", config);
        var journalConfig = new JournalConfig(config.GetConfig("akka.persistence.journal.sql").WithFallback(SqlPersistence.DefaultJournalConfiguration));
        var inserts = PostgresJournalInserts.For(journalConfig, system.Serialization);
        Assert.NotNull(inserts); // the host's configuration takes the COPY path
        var write = inserts.TryWrite([Write("fresh", 1), Write("fresh", 2), Write("taken", 2)]);
        Assert.NotNull(write);
        await Assert.ThrowsAsync<PostgresException>(() => write);

        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        Assert.Equal(0L, await new NpgsqlCommand("SELECT COUNT(*) FROM journal WHERE persistence_id = 'fresh'", check).ExecuteScalarAsync());
        Assert.Equal(2L, await new NpgsqlCommand("SELECT COUNT(*) FROM journal WHERE persistence_id = 'taken'", check).ExecuteScalarAsync());
        await system.Terminate();
    }

    [PostgresFact]
    public async Task Highest_sequence_numbers_and_snapshot_checks_read_together_and_concurrent_replays_answer_each_id_for_itself()
    {
        var connection = Postgres.CreateDatabase();
        var config = Config(connection);
        await JournalScenarios.OneAtomicWriteReplaysInOrder(config, 3); // creates the tables; "batch" holds 1..3
        await using (var setup = new NpgsqlConnection(connection))
        {
            await setup.OpenAsync();
            for (var id = 0; id < 40; id++)
            {
                // Id k holds events 1..k, the lower half marked deleted (deleted rows keep the highest number); even ids have a snapshot.
                for (var seq = 1; seq <= id; seq++)
                    await new NpgsqlCommand($"INSERT INTO journal (created, deleted, persistence_id, sequence_number, message) VALUES (0, {(seq <= id / 2 ? "true" : "false")}, 'id-{id}', {seq}, '\\x00')", setup).ExecuteNonQueryAsync();
                if (id % 2 == 0 && id > 0)
                    await new NpgsqlCommand($"INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot) VALUES ('id-{id}', {id}, 0, '\\x00')", setup).ExecuteNonQueryAsync();
            }
        }

        var journal = PostgresJournalReads.For(new JournalConfig(config.GetConfig("akka.persistence.journal.sql").WithFallback(SqlPersistence.DefaultJournalConfiguration)));
        var snapshots = PostgresSnapshotReads.For(new SnapshotConfig(config.GetConfig("akka.persistence.snapshot-store.sql").WithFallback(SqlPersistence.DefaultSnapshotConfiguration)));
        Assert.NotNull(journal);
        Assert.NotNull(snapshots);
        // 200 reads at once, every id several times with different lower bounds, and ids without any row.
        var asked = Enumerable.Range(0, 200).Select(i => (Id: i % 50, From: (long)(i % 7))).ToList();
        var highest = await Task.WhenAll(asked.Select(a => Task.Run(() => journal.HighestSequenceNr($"id-{a.Id}", a.From))));
        var withSnapshot = await Task.WhenAll(asked.Select(a => Task.Run(() => snapshots.HasSnapshot($"id-{a.Id}"))));
        for (var i = 0; i < asked.Count; i++)
        {
            var (id, from) = asked[i];
            var stored = id < 40 ? id : 0;
            Assert.Equal(stored > from ? stored : 0, highest[i]);
            Assert.Equal(id < 40 && id % 2 == 0 && id > 0, withSnapshot[i]);
        }
        Assert.Equal(3, await journal.HighestSequenceNr("batch", 0));

        // Replays at the same time: each id's rows that are not deleted, within its own range and limit, in order.
        var ranges = Enumerable.Range(0, 120).Select(i => (Id: i % 45, From: (long)(i % 5), To: 10 + (long)(i % 30), Max: 1 + (long)(i % 9))).ToList();
        var replayed = await Task.WhenAll(ranges.Select(r => Task.Run(async () =>
        {
            var seqs = new List<long>();
            await journal.Replay($"id-{r.Id}", r.From, r.To, r.Max, e => seqs.Add(e.SequenceNr));
            return seqs;
        })));
        for (var i = 0; i < ranges.Count; i++)
        {
            var (id, from, to, max) = ranges[i];
            var kept = Enumerable.Range(1, id < 40 ? id : 0).Select(seq => (long)seq).Where(seq => seq > id / 2);
            Assert.Equal(kept.Where(seq => seq >= from && seq <= to).Take((int)max), replayed[i]);
        }
    }

    [PostgresFact]
    public async Task Starts_asking_at_once_read_the_same_latest_snapshot_by_the_plain_query_as_through_the_plugin()
    {
        var connection = Postgres.CreateDatabase();
        var config = ConfigurationFactory.ParseString($$"""
            akka.persistence.snapshot-store.plugin-only {
              class = "{{typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore).AssemblyQualifiedName}}"
              connection-string = "{{PostgresPool.Bounded(connection, 10)}}"
              provider-name = "PostgreSQL.15"
            }
            """).WithFallback(Config(connection));
        using var system = ActorSystem.Create("snapshots", config);
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        var ours = persistence.SnapshotStoreFor(null);
        var plugin = persistence.SnapshotStoreFor("akka.persistence.snapshot-store.plugin-only");
        Assert.NotNull(PostgresSnapshotReads.For(new SnapshotConfig(
            config.GetConfig("akka.persistence.snapshot-store.sql").WithFallback(SqlPersistence.DefaultSnapshotConfiguration)))); // the host's configuration takes this path
        var timeout = TimeSpan.FromSeconds(30);
        // Id k holds snapshots 1..k (saved out of order), id 0 none; ids with quotes and non-ASCII letters.
        for (var id = 1; id < 12; id++)
            foreach (var seq in Enumerable.Range(1, id).OrderBy(n => (n * 7) % id))
                await ours.Ask<SaveSnapshotSuccess>(new SaveSnapshot(
                    new SnapshotMetadata(Id(id), seq, new DateTime(2026, 12, 2, 10, id, seq, DateTimeKind.Utc)), $"state of {id} at {seq}"), timeout);

        // Every id three times, all at once: the loads share queries.
        var ids = Enumerable.Range(0, 36).Select(i => i % 12).ToList();
        var loads = ids.Select(id => new LoadSnapshot(Id(id), SnapshotSelectionCriteria.Latest, long.MaxValue)).ToList();
        var read = await Task.WhenAll(loads.Select(load => ours.Ask<LoadSnapshotResult>(load, timeout)));
        for (var i = 0; i < ids.Count; i++)
        {
            var expected = (await plugin.Ask<LoadSnapshotResult>(loads[i], timeout)).Snapshot;
            var snapshot = read[i].Snapshot;
            if (ids[i] == 0)
            {
                Assert.Null(snapshot);
                Assert.Null(expected);
                continue;
            }
            Assert.NotNull(snapshot);
            Assert.NotNull(expected);
            Assert.Equal(ids[i], snapshot.Metadata.SequenceNr);
            Assert.Equal(expected.Metadata, snapshot.Metadata);
            Assert.Equal(expected.Metadata.Timestamp, snapshot.Metadata.Timestamp);
            Assert.Equal($"state of {ids[i]} at {ids[i]}", snapshot.Snapshot);
            Assert.Equal(expected.Snapshot, snapshot.Snapshot);
        }
        await system.Terminate();

        static string Id(int id) => $"sensor-pegel-'Lemgo'-\"Bega\"-ü-{id}";
    }

    private static AtomicWrite Write(string persistenceId, long sequenceNr) =>
        new(new Persistent((int)sequenceNr, sequenceNr, persistenceId));

    private static Config Config(string connection) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        {{PersistenceSetup.ReplayFilterOff}}
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          class = "{{typeof(PostgresWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(connection, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
        akka.persistence.snapshot-store.sql {
          class = "{{typeof(PostgresSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(connection, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        """);
}
