using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>The node's configuration (appsettings.json beside the binary, then Streams__… environment variables) for topic names and Kafka.</summary>
internal static class ReplayConfiguration
{
    public static StreamsOptions Load() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build()
            .GetSection(StreamsOptions.Section).Get<StreamsOptions>() ?? new StreamsOptions();
}
