using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Streams.Host.Configuration;

namespace Streams.Host.Composition;

/// <summary>Akka.Persistence.Sql on SQLite (embedded default, a file in the data dir) or PostgreSQL; schema created on first start.</summary>
public static class PersistenceSetup
{
    public static AkkaConfigurationBuilder WithStreamsPersistence(this AkkaConfigurationBuilder builder, StreamsOptions options)
    {
        var (connectionString, provider) = Resolve(options);
        builder.WithSqlPersistence(connectionString, provider, autoInitialize: true);
        builder.AddHocon($"akka.persistence.max-concurrent-recoveries = {options.Persistence.MaxConcurrentRecoveries}", HoconAddMode.Prepend);
        // Every sensor persists each applied reading; with hundreds of entities writing at once the journal gets
        // batches, and one multi-row INSERT per batch costs far less CPU than linq2db building one INSERT per row.
        builder.AddHocon("akka.persistence.journal.sql.max-row-by-row-size = 0", HoconAddMode.Prepend);
        builder.AddHocon(ReplayFilterOff, HoconAddMode.Prepend);
        // After 10 failures in a row (the database is down) the store's circuit breaker fails every call at once for
        // reset-timeout, then lets one through. Akka's 30 s kept the node idle for up to half a minute after the
        // database was back; 5 s still spares a struggling database from every entity retrying at once.
        // A recovery whose snapshot load was lost in the breaker's half-open state waited recovery-event-timeout
        // (30 s) before failing and being asked again; 15 s between two events of one replay is still generous.
        // A write that waits behind a busy node is not a failed database: Akka's 10 s call timeout turned load into
        // failed writes (entities stopped, readings asked again). 30 s still ends a write to a hung database.
        builder.AddHocon("""
            akka.persistence.journal.sql.circuit-breaker.call-timeout = 30s
            akka.persistence.snapshot-store.sql.circuit-breaker.call-timeout = 30s
            akka.persistence.journal.sql.circuit-breaker.reset-timeout = 5s
            akka.persistence.journal.sql.recovery-event-timeout = 15s
            akka.persistence.snapshot-store.sql.circuit-breaker.reset-timeout = 5s
            """, HoconAddMode.Prepend);
        if (options.Persistence.Provider == PersistenceProvider.Sqlite)
        {
            // SQLite has one writer at a time: concurrent journal writers only queue on its lock (SQLITE_BUSY and
            // retries). One writer that takes whole batches is much faster.
            builder.AddHocon("akka.persistence.journal.sql.parallelism = 1", HoconAddMode.Prepend);
            // Microsoft.Data.Sqlite starts every transaction but a read-uncommitted one with BEGIN IMMEDIATE, which takes
            // the database's write lock: each entity recovery (snapshot, highest sequence number, replay) then queued
            // behind the journal writer and each other, ~100 recoveries/s. A deferred BEGIN reads a consistent WAL
            // snapshot without the lock (read_uncommitted only matters with a shared cache, which is not used).
            builder.AddHocon("""
                akka.persistence.journal.sql.read-isolation-level = read-uncommitted
                akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
                akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
                """, HoconAddMode.Prepend);
            // Every entity start reads its highest sequence number and looks for a snapshot; on SQLite both are one
            // plain query each instead of a linq2db translation (SqliteJournalReads, SqliteSnapshotReads).
            builder.AddHocon($"""
                akka.persistence.journal.sql.class = "{typeof(SqliteWriteJournal).AssemblyQualifiedName}"
                akka.persistence.snapshot-store.sql.class = "{typeof(SqliteSnapshotStore).AssemblyQualifiedName}"
                """, HoconAddMode.Prepend);
            SqliteTuning.UseWriteAheadLog(connectionString);
        }
        else
        {
            // An entity start's reads as plain queries and the journal's writes combined into one COPY
            // (PostgresWriteJournal); "no snapshot" without the plugin's query (PostgresSnapshotStore).
            builder.AddHocon($"""
                akka.persistence.journal.sql.class = "{typeof(PostgresWriteJournal).AssemblyQualifiedName}"
                akka.persistence.snapshot-store.sql.class = "{typeof(PostgresSnapshotStore).AssemblyQualifiedName}"
                """, HoconAddMode.Prepend);
        }
        return builder;
    }

    /// <summary>
    /// Akka.Persistence's replay filter takes a writer id that comes back after another one for an old writer still
    /// writing, and by default drops its events from the replay. Akka.Persistence.Sql writes one writer id per
    /// journal, i.e. per node, so an entity that moves to another node and back (rebalances, a node leaving and
    /// joining) had the events of its second stay on the first node dropped at its next recovery, silently. The
    /// journal's unique (persistence id, sequence number) index already keeps two writers from interleaving, and
    /// replays come in sequence order, so the filter has nothing left to repair. Off, it also saves an actor per
    /// entity start (Akka starts a filter actor for every replay).
    /// </summary>
    public const string ReplayFilterOff = "akka.persistence.journal.sql.replay-filter.mode = \"off\"";

    public static (string ConnectionString, string ProviderName) Resolve(StreamsOptions options) => options.Persistence.Provider switch
    {
        PersistenceProvider.Sqlite => (
            string.IsNullOrWhiteSpace(options.Persistence.ConnectionString)
                ? $"Data Source={Path.Combine(options.FullDataDir, "streams.db")}"
                : options.Persistence.ConnectionString,
            ProviderName.SQLiteMS),
        PersistenceProvider.PostgreSql => (
            string.IsNullOrWhiteSpace(options.Persistence.ConnectionString)
                ? throw new InvalidOperationException("Streams:Persistence:ConnectionString is required with the PostgreSql provider")
                : PostgresPool.Bounded(options.Persistence.ConnectionString, options.Persistence.MaxPoolSize),
            ProviderName.PostgreSQL15),
        _ => throw new InvalidOperationException($"Unknown persistence provider {options.Persistence.Provider}"),
    };

    /// <summary>The connection string with any password masked, for logs.</summary>
    public static string Describe(StreamsOptions options)
    {
        var (cs, provider) = Resolve(options);
        var masked = System.Text.RegularExpressions.Regex.Replace(cs, @"(?i)(password|pwd)\s*=\s*[^;]*", "$1=***");
        return $"{provider}: {masked}";
    }
}
