using Npgsql;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// The PostgreSQL that <c>.ci/run</c> starts (STREAMS_TEST_POSTGRES). In CI a missing server is a failure; on a
/// developer machine without one, these tests are skipped with the reason.
/// </summary>
public static class Postgres
{
    public static string? AdminConnectionString =>
        Environment.GetEnvironmentVariable("STREAMS_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>A fresh database for one test; returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var admin = AdminConnectionString
            ?? throw new InvalidOperationException("STREAMS_TEST_POSTGRES is not set: run the tests through `bash .ci/run`, which starts PostgreSQL");
        var name = "streams_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}

public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Postgres.AdminConnectionString is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "no PostgreSQL: set STREAMS_TEST_POSTGRES or run `bash .ci/run`";
    }
}
