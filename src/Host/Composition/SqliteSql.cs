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

    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }
}
