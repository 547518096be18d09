using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Management;
using Akka.Management.Cluster.Bootstrap;
using Akka.Remote.Hosting;
using Streams.Host.Configuration;

namespace Streams.Host.Composition;

/// <summary>
/// <c>Streams:Cluster</c> keys beyond host, port and seed nodes: how nodes find each other (seed nodes, or
/// Akka.Management cluster bootstrap with Kubernetes API discovery), the address others reach this node at, and
/// the split-brain resolver's stable-after.
/// </summary>
public sealed class ClusterFormationOptions
{
    public const string Kubernetes = "kubernetes";

    /// <summary>Empty: seed nodes (or a single node that joins itself). <c>kubernetes</c>: cluster bootstrap over the Kubernetes API.</summary>
    public string Discovery { get; set; } = "";

    /// <summary>The address other nodes reach this node at (a pod IP); empty: <see cref="ClusterOptions.Hostname"/>.</summary>
    public string PublicHostname { get; set; } = "";

    /// <summary>Akka.Management's HTTP port: bootstrap contact points probe each other here.</summary>
    public int ManagementPort { get; set; } = 8558;

    /// <summary>Discovery looks for pods of this service, selected by <see cref="PodLabelSelector"/> ({0} = the service name).</summary>
    public string ServiceName { get; set; } = "streams";

    public string PodLabelSelector { get; set; } = "app.kubernetes.io/name={0}";

    /// <summary>Contact points that must be found before the first node forms a new cluster.</summary>
    public int RequiredContactPoints { get; set; } = 2;

    /// <summary>
    /// How long the membership must be stable before the split-brain resolver downs the unreachable side.
    /// 0: derived from the Kafka session timeout (see <see cref="ClusterFormation.StableAfter"/>).
    /// </summary>
    public int StableAfterSeconds { get; set; }

    public bool UsesKubernetes => string.Equals(Discovery, Kubernetes, StringComparison.OrdinalIgnoreCase);

    public static ClusterFormationOptions From(IConfiguration configuration) =>
        configuration.GetSection("Streams:Cluster").Get<ClusterFormationOptions>() ?? new ClusterFormationOptions();
}

public static class ClusterFormation
{
    private const int KafkaDefaultSessionTimeoutMs = 45_000;

    /// <summary>
    /// A crashed node's shards should be placed elsewhere by the time Kafka hands its partitions to the survivors
    /// (after <c>session.timeout.ms</c>), so that readings of those partitions find their entities instead of timing
    /// out against a dead node. Akka needs about 10 s to call a node unreachable, then stable-after to down it:
    /// stable-after = session timeout - 10 s, within 5..20 s (20 s is Akka's default for small clusters).
    /// </summary>
    public static TimeSpan StableAfter(ClusterFormationOptions formation, KafkaOptions kafka)
    {
        if (formation.StableAfterSeconds > 0) return TimeSpan.FromSeconds(formation.StableAfterSeconds);
        var session = kafka.Properties.TryGetValue("session.timeout.ms", out var text) && int.TryParse(text, out var ms) ? ms : KafkaDefaultSessionTimeoutMs;
        return TimeSpan.FromSeconds(Math.Clamp(session / 1000.0 - 10, 5, 20));
    }

    /// <summary>Remoting, clustering with keep-majority split-brain resolution, and (in Kubernetes) bootstrap.</summary>
    public static AkkaConfigurationBuilder WithStreamsClustering(this AkkaConfigurationBuilder builder, StreamsOptions options, ClusterFormationOptions formation)
    {
        var publicHost = string.IsNullOrWhiteSpace(formation.PublicHostname) ? options.Cluster.Hostname : formation.PublicHostname;
        builder
            .WithRemoting(new RemoteOptions { HostName = options.Cluster.Hostname, Port = options.Cluster.Port, PublicHostName = publicHost })
            .WithClustering(new Akka.Cluster.Hosting.ClusterOptions
            {
                SeedNodes = formation.UsesKubernetes ? [] : options.Cluster.SeedNodes,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon($"akka.cluster.split-brain-resolver.stable-after = {(int)StableAfter(formation, options.Kafka).TotalSeconds}s", HoconAddMode.Prepend);

        if (formation.UsesKubernetes)
        {
            builder
                .WithAkkaManagement(hostName: publicHost, port: formation.ManagementPort, bindHostname: "0.0.0.0", bindPort: formation.ManagementPort)
                .WithClusterBootstrap(serviceName: formation.ServiceName, requiredContactPoints: formation.RequiredContactPoints)
                .WithKubernetesDiscovery(formation.PodLabelSelector);
        }
        return builder;
    }

    /// <summary>No seed nodes and no discovery: a single node that forms a cluster of its own.</summary>
    public static bool JoinsItself(StreamsOptions options, ClusterFormationOptions formation) =>
        options.Cluster.SeedNodes.Length == 0 && !formation.UsesKubernetes;
}
