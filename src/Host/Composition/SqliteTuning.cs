using Microsoft.Data.Sqlite;

namespace Streams.Host.Composition;

public static class SqliteTuning
{
    /// <summary>
    /// WAL lets readers (recovery, queries) run beside the writer and makes each commit one append; the mode is
    /// stored in the database file, so setting it once before Akka opens the file is enough.
    /// </summary>
    public static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteScalar();
    }
}
