using Microsoft.Extensions.Logging.Abstractions;
using Streams.Host.Admin;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Deploy.Tests;

/// <summary>The settings a deployment relies on: admin token check, static membership ids, SBR timing, topic plan.</summary>
public sealed class HostOpsSettingsTests
{
    private static AdminTokenFilter Filter(string? token) => new(new AdminOptions { Token = token }, NullLogger<AdminTokenFilter>.Instance);

    [Fact]
    public void Admin_token_check_accepts_only_the_configured_bearer_token()
    {
        var filter = Filter("s3cret");
        Assert.Null(filter.Check("Bearer s3cret"));
        Assert.Null(filter.Check("bearer s3cret "));
        Assert.Equal("missing token", filter.Check(""));
        Assert.Equal("wrong token", filter.Check("Bearer s3cre"));
        Assert.Equal("wrong token", filter.Check("Bearer s3cret2"));
        Assert.Equal("not a bearer token", filter.Check("Basic czNjcmV0"));
    }

    [Fact]
    public void Admin_endpoint_is_off_without_a_token()
    {
        Assert.False(new AdminOptions().Enabled);
        Assert.False(new AdminOptions { Token = "  " }.Enabled);
        Assert.Equal("wrong token", Filter(null).Check("Bearer "));
    }

    [Fact]
    public void Static_membership_takes_the_explicit_id_else_the_pod_name_and_is_off_by_default()
    {
        var env = new Dictionary<string, string> { ["POD_NAME"] = "streams-2", ["HOSTNAME"] = "host-a" };
        Assert.Null(new StaticMembershipOptions().InstanceId(env.GetValueOrDefault));
        Assert.Equal("streams-2", new StaticMembershipOptions { StaticMembership = true }.InstanceId(env.GetValueOrDefault));
        Assert.Equal("node-7", new StaticMembershipOptions { GroupInstanceId = "node-7" }.InstanceId(env.GetValueOrDefault));
        Assert.Equal("host-a", new StaticMembershipOptions { StaticMembership = true }.InstanceId(k => k == "HOSTNAME" ? "host-a" : null));
    }

    [Fact]
    public void Readings_consumer_carries_the_group_instance_id_other_consumers_do_not()
    {
        var options = new StreamsOptions { Kafka = { BootstrapServers = "broker:9092", GroupId = "streams" } };
        using var kafka = new KafkaConnection(options, groupInstanceId: "streams-0");
        Assert.Equal("streams-0", kafka.Consumer("streams").Properties["group.instance.id"]);
        Assert.False(kafka.Consumer("streams-registry").Properties.ContainsKey("group.instance.id"));
    }

    [Theory]
    [InlineData(null, 20)]      // librdkafka's 45 s session: Akka's default 20 s
    [InlineData("30000", 20)]
    [InlineData("25000", 15)]
    [InlineData("6000", 5)]     // never below 5 s
    public void Split_brain_stable_after_fits_the_kafka_session_timeout(string? sessionTimeoutMs, int expectedSeconds)
    {
        var kafka = new KafkaOptions();
        if (sessionTimeoutMs is not null) kafka.Properties["session.timeout.ms"] = sessionTimeoutMs;
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ClusterFormation.StableAfter(new ClusterFormationOptions(), kafka));
        Assert.Equal(TimeSpan.FromSeconds(42), ClusterFormation.StableAfter(new ClusterFormationOptions { StableAfterSeconds = 42 }, kafka));
    }

    [Fact]
    public void Topic_plan_compacts_registry_and_aggregates_only_and_adds_configured_configs()
    {
        var provisioning = new TopicProvisioningOptions
        {
            OutputPartitions = 6, ReplicationFactor = 3,
            TopicConfigs = { ["streams.alerts"] = new() { ["retention.ms"] = "604800000" } },
        };
        var plan = TopicPlan.For(new StreamsOptions { Kafka = { ReadingPartitions = 12 } }, provisioning).ToDictionary(s => s.Name);
        Assert.Equal(7, plan.Count);
        Assert.Equal(["streams.aggregates", "streams.registry"],
            plan.Values.Where(s => s.Configs.GetValueOrDefault("cleanup.policy") == "compact").Select(s => s.Name).Order());
        Assert.Equal(12, plan["streams.pegel"].Partitions);
        Assert.Equal(6, plan["streams.alerts"].Partitions);
        Assert.Equal("604800000", plan["streams.alerts"].Configs["retention.ms"]);
        Assert.All(plan.Values, s => Assert.Equal(3, s.ReplicationFactor));
    }
}
