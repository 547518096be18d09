using System.Collections;
using System.Reflection;
using Streams.Host.Admin;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Deploy.Tests;

/// <summary>The configuration keys the host binds (its options classes, by reflection) and the variables its code reads.</summary>
public static class HostConfiguration
{
    private static readonly (string Prefix, Type Type)[] Sections =
    [
        ("Streams", typeof(StreamsOptions)),
        ("Streams:Admin", typeof(AdminOptions)),
        ("Streams:Cluster", typeof(ClusterFormationOptions)),
        ("Streams:Kafka", typeof(TopicProvisioningOptions)),
        ("Streams:Kafka", typeof(StaticMembershipOptions)),
    ];

    /// <summary>Environment variables and secret file names use <c>__</c> for <c>:</c>.</summary>
    public static string FromEnvironmentName(string name) => name.Replace("__", ":");

    public static bool IsKnownKey(string key) =>
        Sections.Any(s => key.StartsWith(s.Prefix + ":", StringComparison.OrdinalIgnoreCase)
                          && Walks(s.Type, key[(s.Prefix.Length + 1)..].Split(':')));

    private static bool Walks(Type type, string[] segments)
    {
        var property = type.GetProperty(segments[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is null) return false;
        var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (segments.Length == 1) return true;
        if (typeof(IDictionary).IsAssignableFrom(t) || t.IsArray) return true;
        return t.IsClass && t != typeof(string) && Walks(t, segments[1..]);
    }

    /// <summary>True when the host's source reads this environment variable by name.</summary>
    public static bool HostReadsVariable(string name) =>
        Directory.EnumerateFiles(Path.Combine(Manifests.RepoRoot(), "src", "Host"), "*.cs", SearchOption.AllDirectories)
            .Any(f => File.ReadAllText(f).Contains($"\"{name}\"", StringComparison.Ordinal));

    /// <summary>True when the host maps a GET route with exactly this path.</summary>
    public static bool HostMapsGet(string path) =>
        Directory.EnumerateFiles(Path.Combine(Manifests.RepoRoot(), "src", "Host"), "*.cs", SearchOption.AllDirectories)
            .Any(f => File.ReadAllText(f).Contains($"MapGet(\"{path}\"", StringComparison.Ordinal));
}
