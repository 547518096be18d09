using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Streams.Host.Admin;

namespace Streams.Host.Kafka;

/// <summary>
/// Lists and creates the contract topics. Against the embedded mock cluster topics are created with its native
/// call (Admin CreateTopics times out there); against a real cluster with Admin CreateTopics.
/// </summary>
public sealed class TopicProvisioner(KafkaConnection kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<TopicInfo>> DescribeAsync(IReadOnlyList<TopicSpec> plan)
    {
        using var admin = kafka.AdminClient();
        var metadata = admin.GetMetadata(Timeout);
        var known = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0).ToDictionary(t => t.Topic);
        var (configs, configsError) = kafka.IsEmbedded
            ? ([], "the embedded mock cluster keeps no topic configs")
            : await DescribeConfigsAsync(admin, plan.Select(p => p.Name).Where(known.ContainsKey).ToList());
        return plan.Select(p => known.TryGetValue(p.Name, out var meta)
                ? new TopicInfo(p.Name, true, meta.Partitions.Count, meta.Partitions.Max(x => x.Replicas.Length),
                    configs.GetValueOrDefault(p.Name) ?? new Dictionary<string, string>(), configsError)
                : new TopicInfo(p.Name, false, 0, 0, new Dictionary<string, string>(), null))
            .ToList();
    }

    /// <summary>Creates every topic of the plan that the broker does not know. Throws when the broker refuses.</summary>
    public async Task<TopicCreation> CreateMissingAsync(IReadOnlyList<TopicSpec> plan)
    {
        using var admin = kafka.AdminClient();
        var metadata = admin.GetMetadata(Timeout);
        var known = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0).Select(t => t.Topic).ToHashSet();
        var missing = plan.Where(p => !known.Contains(p.Name)).ToList();
        var there = plan.Where(p => known.Contains(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count == 0) return new TopicCreation([], there, []);

        if (kafka.Embedded is { } embedded)
        {
            foreach (var spec in missing) embedded.CreateTopic(spec.Name, spec.Partitions, Math.Max((short)1, spec.ReplicationFactor));
            return new TopicCreation(missing.Select(s => s.Name).ToList(), there, []);
        }

        var specs = missing.Select(s => new TopicSpecification
        {
            Name = s.Name,
            NumPartitions = s.Partitions,
            ReplicationFactor = s.ReplicationFactor,
            Configs = s.Configs.ToDictionary(),
        }).ToList();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout });
            return new TopicCreation(missing.Select(s => s.Name).ToList(), there, []);
        }
        catch (CreateTopicsException ex)
        {
            var created = ex.Results.Where(r => r.Error.Code == ErrorCode.NoError).Select(r => r.Topic).ToList();
            var exists = ex.Results.Where(r => r.Error.Code == ErrorCode.TopicAlreadyExists).Select(r => r.Topic);
            var failed = ex.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
                .Select(r => $"{r.Topic}: {r.Error.Code} {r.Error.Reason}").ToList();
            return new TopicCreation(created, there.Concat(exists).ToList(), failed);
        }
    }

    private static async Task<(Dictionary<string, Dictionary<string, string>>, string?)> DescribeConfigsAsync(IAdminClient admin, IReadOnlyList<string> topics)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        if (topics.Count == 0) return (result, null);
        try
        {
            var described = await admin.DescribeConfigsAsync(
                topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }),
                new DescribeConfigsOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
            foreach (var r in described)
                result[r.ConfigResource.Name] = r.Entries.Values.Where(e => !e.IsDefault && !e.IsSensitive).ToDictionary(e => e.Name, e => e.Value);
            return (result, null);
        }
        catch (KafkaException ex)
        {
            return (result, $"configs not available: {ex.Error.Reason}");
        }
    }
}
