using Npgsql;
using Streams.Host.Composition;
using Streams.Host.Configuration;

namespace Streams.Deploy.Tests;

/// <summary>A node's PostgreSQL connections are bounded, so several nodes fit under the server's max_connections.</summary>
public sealed class PostgresPoolTests
{
    private const string Given = "Host=db;Port=5432;Database=streams;Username=streams;Password=pw";

    [Fact]
    public void The_pool_is_bounded_by_MaxPoolSize_when_the_connection_string_does_not_say()
    {
        var options = new StreamsOptions { Persistence = { Provider = PersistenceProvider.PostgreSql, ConnectionString = Given } };
        var (resolved, _) = PersistenceSetup.Resolve(options);
        var built = new NpgsqlConnectionStringBuilder(resolved);
        Assert.Equal(20, built.MaxPoolSize);
        Assert.Equal("db", built.Host);
        Assert.Equal("pw", built.Password);

        options.Persistence.MaxPoolSize = 7;
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(PersistenceSetup.Resolve(options).ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size=45")]
    [InlineData("maximum pool size=45")]
    [InlineData("MaxPoolSize=45")]
    public void A_pool_size_in_the_connection_string_wins(string setting)
    {
        var given = Given + ";" + setting;
        Assert.Equal(given, PostgresPool.Bounded(given, 20));
        Assert.Equal(45, new NpgsqlConnectionStringBuilder(PostgresPool.Bounded(given, 20)).MaxPoolSize);
    }

    [Fact]
    public void A_pool_size_that_is_not_positive_is_refused_with_the_setting_named()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PostgresPool.Bounded(Given, 0));
        Assert.Contains("Streams:Persistence:MaxPoolSize", e.Message);
    }
}
