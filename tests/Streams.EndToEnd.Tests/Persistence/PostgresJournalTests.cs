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

    private static AtomicWrite Write(string persistenceId, long sequenceNr) =>
        new(new Persistent((int)sequenceNr, sequenceNr, persistenceId));

    private static Config Config(string connection) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
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
