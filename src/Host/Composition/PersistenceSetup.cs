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
        return builder.WithSqlPersistence(connectionString, provider, autoInitialize: true);
    }

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
                : options.Persistence.ConnectionString,
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
