using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Npgsql;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The host's plain PostgreSQL writes (<see cref="PostgresSnapshotWrites"/>, <see cref="PostgresJournalDeletes"/>) leave the plugin's rows.</summary>
public sealed class PostgresPlainWritesTests
{
    private readonly Lazy<(string Ours, string Plugins)> _databases = new(() => (Postgres.CreateDatabase(), Postgres.CreateDatabase()));

    [PostgresFact]
    public Task Snapshot_saves_replacements_and_deletes_up_to_a_number_leave_the_plugins_rows() =>
        PlainWritesScenarios.SnapshotSavesReplacementsAndDeletesLeaveThePluginsRows(Config(), Rows,
            system => PostgresSnapshotWrites.For(new SnapshotConfig(Config().GetConfig("akka.persistence.snapshot-store.ours")
                .WithFallback(SqlPersistence.DefaultSnapshotConfiguration)), system.Serialization));

    [PostgresFact]
    public Task Event_deletes_leave_the_plugins_rows_and_keep_the_highest_sequence_number()
    {
        var journal = new JournalConfig(Config().GetConfig("akka.persistence.journal.ours").WithFallback(SqlPersistence.DefaultJournalConfiguration));
        Assert.NotNull(PostgresJournalDeletes.For(journal)); // the host's configuration takes this path
        return PlainWritesScenarios.EventDeletesLeaveThePluginsRowsAndKeepTheHighestSequenceNumber(Config(), Rows, journal.TableConfig.TagTable.Name);
    }

    private List<string> Rows(bool ours, string table, string columns)
    {
        using var connection = new NpgsqlConnection(ours ? _databases.Value.Ours : _databases.Value.Plugins);
        connection.Open();
        using var query = new NpgsqlCommand($"SELECT {columns} FROM \"{table}\"", connection);
        using var reader = query.ExecuteReader();
        return PlainWritesScenarios.RowsAsText(reader);
    }

    private Config Config() => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        {{PersistenceSetup.ReplayFilterOff}}
        akka.persistence.journal.plugin = "akka.persistence.journal.ours"
        akka.persistence.journal.ours {
          class = "{{typeof(PostgresWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(_databases.Value.Ours, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        akka.persistence.journal.plugin-only {
          class = "{{typeof(Akka.Persistence.Sql.Journal.SqlWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(_databases.Value.Plugins, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.ours"
        akka.persistence.snapshot-store.ours {
          class = "{{typeof(PostgresSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(_databases.Value.Ours, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        akka.persistence.snapshot-store.plugin-only {
          class = "{{typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{PostgresPool.Bounded(_databases.Value.Plugins, 10)}}"
          provider-name = "PostgreSQL.15"
          auto-initialize = on
        }
        """);
}
