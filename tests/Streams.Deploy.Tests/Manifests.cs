using YamlDotNet.RepresentationModel;

namespace Streams.Deploy.Tests;

/// <summary>Every YAML document under k8s/, parsed with YamlDotNet, with small helpers to walk the trees.</summary>
public sealed class Manifests
{
    private Manifests(IReadOnlyList<Manifest> all) => All = all;

    public IReadOnlyList<Manifest> All { get; }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streams.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Streams.sln not found above " + AppContext.BaseDirectory);
    }

    public static string K8sDir => Path.Combine(RepoRoot(), "k8s");

    public static Manifests Load(string? under = null)
    {
        var root = under is null ? K8sDir : Path.Combine(K8sDir, under);
        var all = new List<Manifest>();
        foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order())
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file)) stream.Load(reader);
            foreach (var doc in stream.Documents)
                if (doc.RootNode is YamlMappingNode map && map.Children.Count > 0)
                    all.Add(new Manifest(Path.GetRelativePath(K8sDir, file), map));
        }
        return new Manifests(all);
    }

    public IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    public Manifest Single(string kind, string name) =>
        All.SingleOrDefault(m => m.Kind == kind && m.Name == name) ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} under k8s/");
}

public sealed record Manifest(string File, YamlMappingNode Root)
{
    public string? Kind => Root.Str("kind");
    public string? Name => Root.Map("metadata")?.Str("name");
    public override string ToString() => $"{Kind} {Name} ({File})";
}

public static class Yaml
{
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static YamlMappingNode? Map(this YamlMappingNode? map, string key) => map?.Get(key) as YamlMappingNode;

    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode? map, string key) =>
        map?.Get(key) is YamlSequenceNode seq ? seq.Children.ToList() : [];

    public static IEnumerable<YamlMappingNode> Maps(this YamlMappingNode? map, string key) => map.Seq(key).OfType<YamlMappingNode>();

    public static string? Str(this YamlMappingNode? map, string key) => (map?.Get(key) as YamlScalarNode)?.Value;

    /// <summary>A path like <c>spec.template.spec</c>.</summary>
    public static YamlMappingNode? Path(this YamlMappingNode? map, string dotted) =>
        dotted.Split('.').Aggregate(map, (m, key) => m.Map(key));

    public static Dictionary<string, string> Labels(this YamlMappingNode? map) =>
        map?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!) ?? [];
}
