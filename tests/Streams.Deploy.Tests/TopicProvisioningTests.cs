using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Deploy.Tests;

/// <summary>
/// Listing and creating contract topics on the embedded cluster (its native create; Admin CreateTopics, the path
/// for a real cluster, times out on librdkafka's mock and is not tested here).
/// </summary>
public sealed class TopicProvisioningTests
{
    [Fact]
    public async Task Missing_topics_are_created_with_the_planned_partitions_and_existing_ones_are_left_alone()
    {
        var options = new StreamsOptions();
        using var kafka = new KafkaConnection(options);
        var provisioner = new TopicProvisioner(kafka);
        var plan = TopicPlan.For(options, new TopicProvisioningOptions())
            .Append(new TopicSpec("streams.provisioning-test", 3, 1, new Dictionary<string, string>())).ToList();

        var before = await provisioner.DescribeAsync(plan);
        Assert.Equal(7, before.Count(t => t.Exists));
        Assert.False(before.Single(t => t.Name == "streams.provisioning-test").Exists);

        var creation = await provisioner.CreateMissingAsync(plan);
        Assert.Equal(["streams.provisioning-test"], creation.Created);
        Assert.Equal(new TopicOptions().All.Order(), creation.AlreadyThere.Order());
        Assert.Empty(creation.Failed);

        var after = await provisioner.DescribeAsync(plan);
        Assert.All(after, t => Assert.True(t.Exists, t.Name));
        Assert.Equal(3, after.Single(t => t.Name == "streams.provisioning-test").Partitions);
        Assert.Equal(options.Kafka.ReadingPartitions, after.Single(t => t.Name == options.Topics.Pegel).Partitions);
        Assert.Empty((await provisioner.CreateMissingAsync(plan)).Created);
    }
}
