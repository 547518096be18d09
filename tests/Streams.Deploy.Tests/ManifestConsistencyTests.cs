using Microsoft.Extensions.Configuration;
using Streams.Host.Cli;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Kafka;
using Streams.Host.Metrics;
using YamlDotNet.RepresentationModel;

namespace Streams.Deploy.Tests;

/// <summary>The manifests under k8s/ agree with each other and with the host they deploy.</summary>
public sealed class ManifestConsistencyTests
{
    private static readonly Manifests Base = Manifests.Load("base");
    private static Manifest StatefulSet => Base.Single("StatefulSet", "streams");
    private static YamlMappingNode PodSpec => StatefulSet.Root.Path("spec.template.spec")!;
    private static YamlMappingNode Container => PodSpec.Maps("containers").Single(c => c.Str("name") == "streams");
    private static Dictionary<string, string> PodLabels => StatefulSet.Root.Path("spec.template.metadata")!.Map("labels").Labels();

    private static Dictionary<string, int> ContainerPorts =>
        Container.Maps("ports").ToDictionary(p => p.Str("name")!, p => int.Parse(p.Str("containerPort")!));

    [Fact]
    public void Every_manifest_parses_and_has_api_version_kind_and_name()
    {
        var all = Manifests.Load();
        Assert.NotEmpty(all.All);
        foreach (var m in all.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Root.Str("apiVersion")), $"{m.File}: apiVersion");
            Assert.False(string.IsNullOrWhiteSpace(m.Kind), $"{m.File}: kind");
            if (m.Kind != "Kustomization") Assert.False(string.IsNullOrWhiteSpace(m.Name), $"{m.File}: metadata.name");
        }
    }

    [Fact]
    public void Every_kustomization_lists_existing_files_and_every_manifest_beside_it_is_listed()
    {
        foreach (var k in Manifests.Load().OfKind("Kustomization"))
        {
            var dir = Path.GetDirectoryName(Path.Combine(Manifests.K8sDir, k.File))!;
            var listed = k.Root.Seq("resources").Select(r => ((YamlScalarNode)r).Value!).ToList();
            var patches = k.Root.Maps("patches").Select(p => p.Str("path")!).ToList();
            foreach (var r in listed)
                Assert.True(File.Exists(Path.Combine(dir, r)) || File.Exists(Path.Combine(dir, r, "kustomization.yaml")), $"{k.File}: resource {r} does not exist");
            foreach (var p in patches) Assert.True(File.Exists(Path.Combine(dir, p)), $"{k.File}: patch {p} does not exist");
            var beside = Directory.EnumerateFiles(dir, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
            foreach (var f in beside) Assert.True(listed.Contains(f!) || patches.Contains(f!), $"{k.File}: {f} is neither a resource nor a patch");
        }
    }

    [Fact]
    public void Statefulset_selector_services_and_disruption_budget_select_the_pod_labels()
    {
        var pod = PodLabels;
        void Selects(Dictionary<string, string> selector, string what)
        {
            Assert.NotEmpty(selector);
            foreach (var (k, v) in selector) Assert.True(pod.TryGetValue(k, out var actual) && actual == v, $"{what} selects {k}={v}, pods have {string.Join(",", pod)}");
        }
        Selects(StatefulSet.Root.Path("spec.selector.matchLabels").Labels(), "StatefulSet");
        foreach (var svc in Base.OfKind("Service")) Selects(svc.Root.Path("spec.selector").Labels(), svc.ToString());
        Selects(Base.Single("PodDisruptionBudget", "streams").Root.Path("spec.selector.matchLabels").Labels(), "PodDisruptionBudget");
    }

    [Fact]
    public void Governing_service_is_headless_publishes_unready_pods_and_exposes_remoting_and_management()
    {
        var name = StatefulSet.Root.Path("spec")!.Str("serviceName")!;
        var headless = Base.Single("Service", name).Root.Map("spec")!;
        Assert.Equal("None", headless.Str("clusterIP"));
        Assert.Equal("true", headless.Str("publishNotReadyAddresses"));
        var ports = headless.Maps("ports").Select(p => p.Str("targetPort")).ToHashSet();
        Assert.Contains("remoting", ports);
        Assert.Contains("management", ports);
    }

    [Fact]
    public void Service_target_ports_name_container_ports_with_matching_numbers()
    {
        var container = ContainerPorts;
        foreach (var svc in Base.OfKind("Service"))
            foreach (var port in svc.Root.Path("spec")!.Maps("ports"))
            {
                var target = port.Str("targetPort")!;
                Assert.True(container.ContainsKey(target), $"{svc}: targetPort {target} is no container port ({string.Join(",", container.Keys)})");
                if (svc.Root.Path("spec")!.Str("clusterIP") == "None")
                    Assert.Equal(container[target], int.Parse(port.Str("port")!));
            }
    }

    [Fact]
    public void Probes_use_the_hosts_health_endpoints_on_the_port_it_listens_on()
    {
        var ready = Container.Map("readinessProbe").Path("httpGet")!;
        var live = Container.Map("livenessProbe").Path("httpGet")!;
        Assert.Equal("/healthz/ready", ready.Str("path"));
        Assert.Equal("/healthz/live", live.Str("path"));
        Assert.True(HostConfiguration.HostMapsGet(ready.Str("path")!), "the host maps no /healthz/ready");
        Assert.True(HostConfiguration.HostMapsGet(live.Str("path")!), "the host maps no /healthz/live");
        Assert.Equal("http", ready.Str("port"));
        Assert.Equal("http", live.Str("port"));

        var urls = Env()["ASPNETCORE_URLS"];
        Assert.Equal(ContainerPorts["http"], new Uri(urls).Port);
        var annotations = StatefulSet.Root.Path("spec.template.metadata.annotations").Labels();
        Assert.Equal(MetricsSetup.ScrapePath, annotations["prometheus.io/path"]);
        Assert.Equal(ContainerPorts["http"].ToString(), annotations["prometheus.io/port"]);
    }

    [Fact]
    public void Environment_and_secret_files_name_keys_and_variables_the_host_reads()
    {
        var env = Env();
        foreach (var (name, value) in env)
        {
            if (name.StartsWith("Streams__", StringComparison.Ordinal))
                Assert.True(HostConfiguration.IsKnownKey(HostConfiguration.FromEnvironmentName(name)), $"env {name} is no configuration key of the host");
            else if (name is not ("DOTNET_ENVIRONMENT" or "ASPNETCORE_URLS"))
                Assert.True(HostConfiguration.HostReadsVariable(name) || env.Values.Any(v => v.Contains($"$({name})")), $"env {name} is read by nobody");
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(value, @"\$\((\w+)\)"))
                Assert.True(env.ContainsKey(m.Groups[1].Value), $"env {name} refers to undefined $({m.Groups[1].Value})");
        }

        var secrets = PodSpec.Maps("volumes").Single(v => v.Str("name") == "secrets").Map("secret")!;
        var files = secrets.Maps("items").Select(i => i.Str("path")!).ToList();
        Assert.Contains("Streams__Admin__Token", files);
        Assert.Contains("Streams__Persistence__ConnectionString", files);
        Assert.Contains("Streams__Kafka__Properties__sasl.password", files);
        foreach (var f in files) Assert.True(HostConfiguration.IsKnownKey(HostConfiguration.FromEnvironmentName(f)), $"secret file {f} is no configuration key");
        var mount = Container.Maps("volumeMounts").Single(m => m.Str("name") == "secrets").Str("mountPath");
        Assert.Equal(env["STREAMS_SECRETS_DIR"], mount);
    }

    [Fact]
    public void Configmap_settings_are_keys_the_host_binds_and_agree_with_ports_and_pod_labels()
    {
        var (configuration, keys) = ConfigMapSettings();
        foreach (var key in keys) Assert.True(HostConfiguration.IsKnownKey(key), $"ConfigMap sets {key}, which the host does not read");

        var options = configuration.GetSection(StreamsOptions.Section).Get<StreamsOptions>()!;
        var formation = ClusterFormationOptions.From(configuration);
        Assert.Equal(ContainerPorts["remoting"], options.Cluster.Port);
        Assert.Equal(ContainerPorts["management"], formation.ManagementPort);
        Assert.Equal(PersistenceProvider.PostgreSql, options.Persistence.Provider);
        Assert.True(formation.RequiredContactPoints <= int.Parse(StatefulSet.Root.Path("spec")!.Str("replicas")!));

        var selector = string.Format(formation.PodLabelSelector, formation.ServiceName).Split('=');
        Assert.Equal(selector[1], PodLabels[selector[0]]);
        Assert.True(StaticMembershipOptions.From(configuration).StaticMembership, "static membership needs the StatefulSet's stable names");
        var mount = Container.Maps("volumeMounts").Single(m => m.Str("name") == "config");
        Assert.Equal("/app/appsettings.Production.json", mount.Str("mountPath"));
        Assert.Equal("Production", Env()["DOTNET_ENVIRONMENT"]);
    }

    [Fact]
    public void Seed_nodes_are_the_first_pods_dns_names_under_the_headless_service_which_each_pod_announces()
    {
        var (configuration, _) = ConfigMapSettings();
        var options = configuration.GetSection(StreamsOptions.Section).Get<StreamsOptions>()!;
        var service = StatefulSet.Root.Path("spec")!.Str("serviceName")!;
        var replicas = int.Parse(StatefulSet.Root.Path("spec")!.Str("replicas")!);
        Assert.NotEmpty(options.Cluster.SeedNodes);
        Assert.True(options.Cluster.SeedNodes.Length <= replicas);
        for (var i = 0; i < options.Cluster.SeedNodes.Length; i++)
            Assert.Equal($"akka.tcp://{AkkaSetup.SystemName}@{StatefulSet.Name}-{i}.{service}:{ContainerPorts["remoting"]}", options.Cluster.SeedNodes[i]);
        Assert.Equal($"$(POD_NAME).{service}", Env()["Streams__Cluster__PublicHostname"]);
        Assert.Equal("metadata.name", Container.Maps("env").Single(e => e.Str("name") == "POD_NAME").Path("valueFrom.fieldRef")!.Str("fieldPath"));
    }

    [Fact]
    public void Kafka_topics_are_the_hosts_topic_plan_with_its_partitions_and_compaction()
    {
        var (configuration, _) = ConfigMapSettings();
        var options = configuration.GetSection(StreamsOptions.Section).Get<StreamsOptions>()!;
        var provisioning = TopicProvisioningOptions.From(configuration);
        Assert.False(provisioning.CreateTopics, "the Topic Operator owns the topics; the host must not create them too");
        var plan = TopicPlan.For(options, provisioning);
        var topics = Base.OfKind("KafkaTopic").ToDictionary(t => t.Root.Path("spec")!.Str("topicName")!);

        Assert.Equal(plan.Select(p => p.Name).Order(), topics.Keys.Order());
        Assert.Equal(new TopicOptions().All.Order(), topics.Keys.Order());
        foreach (var spec in plan)
        {
            var t = topics[spec.Name].Root.Path("spec")!;
            Assert.Equal(spec.Partitions, int.Parse(t.Str("partitions")!));
            Assert.Equal(spec.ReplicationFactor, short.Parse(t.Str("replicas")!));
            var config = t.Map("config").Labels();
            foreach (var (k, v) in spec.Configs) Assert.True(config.TryGetValue(k, out var actual) && actual == v, $"{spec.Name}: {k} should be {v}");
            if (!spec.Configs.ContainsKey("cleanup.policy")) Assert.Equal("delete", config["cleanup.policy"]);
        }
        Assert.All(topics.Values, t => Assert.False(string.IsNullOrEmpty(t.Root.Map("metadata").Map("labels").Str("strimzi.io/cluster"))));
    }

    [Fact]
    public void Rbac_lets_the_pods_service_account_list_and_watch_pods()
    {
        var account = PodSpec.Str("serviceAccountName")!;
        Base.Single("ServiceAccount", account);
        var binding = Base.OfKind("RoleBinding").Single();
        Assert.Contains(binding.Root.Maps("subjects"), s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account);
        var role = Base.Single("Role", binding.Root.Map("roleRef").Str("name")!);
        var rule = role.Root.Maps("rules").Single(r => r.Seq("resources").OfType<YamlScalarNode>().Any(x => x.Value == "pods"));
        var verbs = rule.Seq("verbs").OfType<YamlScalarNode>().Select(v => v.Value).ToHashSet();
        Assert.Superset(new HashSet<string?> { "get", "list", "watch" }, verbs);
    }

    [Fact]
    public void Prestop_leaves_the_cluster_with_a_verb_the_streams_executable_has_and_the_mounted_token()
    {
        var command = string.Join(' ', Container.Path("lifecycle.preStop.exec")!.Seq("command").OfType<YamlScalarNode>().Select(s => s.Value));
        Assert.Contains("cluster leave self", command);
        var cluster = StreamsCommandLine.Build().Subcommands.Single(c => c.Name == "cluster");
        Assert.Contains(cluster.Subcommands, c => c.Name == "leave");
        Assert.Contains($"{Env()["STREAMS_SECRETS_DIR"]}/Streams__Admin__Token", command);
        Assert.Contains($"--node http://127.0.0.1:{ContainerPorts["http"]}", command);
        Assert.True(int.Parse(PodSpec.Str("terminationGracePeriodSeconds")!) >= 30);
    }

    [Fact]
    public void Production_overlay_builds_on_base_and_patches_and_retags_what_base_defines()
    {
        var overlay = Manifests.Load("overlays/production");
        var k = overlay.OfKind("Kustomization").Single();
        Assert.Contains(k.Root.Seq("resources").OfType<YamlScalarNode>(), r => r.Value == "../../base");
        foreach (var patch in k.Root.Maps("patches"))
        {
            var target = patch.Map("target")!;
            Base.Single(target.Str("kind")!, target.Str("name")!);
        }
        var image = Container.Str("image")!.Split(':')[0];
        Assert.Contains(k.Root.Maps("images"), i => i.Str("name") == image);
        Assert.Contains(k.Root.Maps("replicas"), r => r.Str("name") == StatefulSet.Name);
        var patched = overlay.All.Single(m => m.Kind == "StatefulSet");
        Assert.Equal(Container.Str("name"), patched.Root.Path("spec.template.spec")!.Maps("containers").Single().Str("name"));
    }

    private static Dictionary<string, string> Env() =>
        Container.Maps("env").ToDictionary(e => e.Str("name")!, e => e.Str("value") ?? "");

    private static (IConfiguration Configuration, IReadOnlyList<string> Keys) ConfigMapSettings()
    {
        var json = Base.Single("ConfigMap", "streams-config").Root.Map("data")!.Str("appsettings.Production.json")!;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var keys = configuration.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
        return (configuration, keys);
    }
}
