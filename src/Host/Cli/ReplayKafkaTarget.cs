using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>
/// Where a replay writes: <c>--kafka</c>, else the Kafka of the node at <c>--node</c> (its <c>/api/status</c> says
/// <c>kafka.bootstrapServers</c>; the demo's embedded Kafka is found this way), else the configured
/// <c>Streams:Kafka:BootstrapServers</c>.
/// </summary>
internal static class ReplayKafkaTarget
{
    public sealed record Target(string BootstrapServers, string Origin, IReadOnlyDictionary<string, string> Properties);

    public static async Task<Target?> ResolveAsync(ReplaySettings settings, StreamsOptions options, CancellationToken cancel)
    {
        if (settings.Kafka is { Length: > 0 } given) return new Target(given, "--kafka", new Dictionary<string, string>());
        if (await AskNode(settings.NodeUrl, cancel) is { } fromNode) return new Target(fromNode, $"the node at {settings.NodeUrl}", new Dictionary<string, string>());
        return options.Kafka.IsEmbedded
            ? null
            : new Target(options.Kafka.BootstrapServers, "Streams:Kafka:BootstrapServers", options.Kafka.Properties);
    }

    private static async Task<string?> AskNode(string url, CancellationToken cancel) =>
        await ReplayNodeStatus.GetAsync(url, cancel) is { } status && status.TryGetProperty("kafka", out var kafka)
        && kafka.TryGetProperty("bootstrapServers", out var servers) ? servers.GetString() : null;
}
