using System.Data.Common;
using Npgsql;

namespace Streams.Host.Composition;

/// <summary>
/// One bounded connection pool per node for everything that talks to PostgreSQL. Npgsql keeps one pool per
/// connection string text, and Akka.Persistence.Sql (through linq2db) opens its connections from that pool; our own
/// reads open theirs from the same string, so they share it. Without a bound each of them could open 100, and a
/// backlog of recoveries took the server past <c>max_connections</c> ("53300: sorry, too many clients already"),
/// which failed recoveries and tripped the journal's circuit breaker. With a bound, a burst waits for a connection.
/// </summary>
public static class PostgresPool
{
    /// <summary>The connection string with <c>Maximum Pool Size</c> set to <paramref name="maxPoolSize"/> unless it sets one itself.</summary>
    public static string Bounded(string connectionString, int maxPoolSize)
    {
        if (maxPoolSize <= 0)
            throw new InvalidOperationException($"Streams:Persistence:MaxPoolSize must be positive, not {maxPoolSize}");
        if (SetsPoolSize(connectionString)) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize }.ConnectionString;
    }

    private static bool SetsPoolSize(string connectionString)
    {
        // The keys as written: Npgsql takes "Maximum Pool Size" or its property name "MaxPoolSize", in any case.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in written.Keys)
        {
            var compact = key.Replace(" ", "", StringComparison.Ordinal);
            if (compact.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase) || compact.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
