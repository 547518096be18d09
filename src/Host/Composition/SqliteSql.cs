using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

/// <summary>What the plain-SQL parts of the SQLite journal and snapshot store share.</summary>
internal static class SqliteSql
{
    /// <summary>SQLite with a connection string in the plugin's configuration and no schema: where plain SQL may stand in for linq2db.</summary>
    public static bool IsPlainSqlite(string providerName, string connectionString, string? schemaName) =>
        providerName.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(connectionString)
        && string.IsNullOrEmpty(schemaName);

    /// <summary>
    /// How long a statement waits for another connection's write lock, in SQLite's own busy handler. Without it,
    /// Microsoft.Data.Sqlite answers a locked database by sleeping 150 ms before each new try (measured: a 20 ms lock
    /// held the other writer 151 ms; with the handler, 34 ms). The plugin's snapshot writes and deletes take the lock
    /// beside the journal writer, and every alert waited behind such a collision. The same 30 s as the command timeout.
    /// Set on every connection opened here; pooled connections keep it, and the plugin's connections (same connection
    /// string, same pool) get it once they reuse one: with it on the reads' connections too, the alert p99 at 1,000
    /// readings/s was 100–107 ms, with it on the writer's alone 166–231 ms.
    /// </summary>
    public const int BusyTimeoutMs = 30_000;

    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // SQLite's C call rather than a PRAGMA statement: every entity start opens two connections, and a statement
        // costs a command, a reader and their buffers each time.
        var rc = SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, BusyTimeoutMs);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            connection.Dispose();
            throw new SqliteException($"setting the busy timeout failed (SQLite error {rc})", rc);
        }
        return connection;
    }
}
