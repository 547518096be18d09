using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Microsoft.Data.Sqlite;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The host's plain SQLite writes (<see cref="SqliteSnapshotWrites"/>, <see cref="SqliteJournalDeletes"/>) leave the plugin's rows.</summary>
public sealed class SqlitePlainWritesTests : IDisposable
{
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
    public Task Snapshot_saves_replacements_and_deletes_up_to_a_number_leave_the_plugins_rows() =>
        PlainWritesScenarios.SnapshotSavesReplacementsAndDeletesLeaveThePluginsRows(Config(), Rows,
            system => SqliteSnapshotWrites.For(SnapshotConfigOf(Config()), system.Serialization, new SqliteWriter(_ours)));

    [Fact]
    public Task Event_deletes_leave_the_plugins_rows_and_keep_the_highest_sequence_number()
    {
        var journal = JournalConfigOf(Config());
        Assert.NotNull(SqliteJournalDeletes.For(journal, new SqliteWriter(_ours))); // the host's configuration takes this path
        return PlainWritesScenarios.EventDeletesLeaveThePluginsRowsAndKeepTheHighestSequenceNumber(Config(), Rows, journal.TableConfig.TagTable.Name);
    }

    internal static SnapshotConfig SnapshotConfigOf(Config config) =>
        new(config.GetConfig("akka.persistence.snapshot-store.ours").WithFallback(SqlPersistence.DefaultSnapshotConfiguration));

    internal static JournalConfig JournalConfigOf(Config config) =>
        new(config.GetConfig("akka.persistence.journal.ours").WithFallback(SqlPersistence.DefaultJournalConfiguration));

    private List<string> Rows(bool ours, string table, string columns)
    {
        using var connection = SqliteSql.Open(ours ? _ours : _plugins);
        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {columns} FROM \"{table}\"";
        using var reader = query.ExecuteReader();
        return PlainWritesScenarios.RowsAsText(reader);
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
}
