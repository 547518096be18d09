namespace Streams.Host.Admin;

// What the admin endpoint answers (JSON, web defaults) and the `streams` ops verbs read back.

public sealed record MemberInfo(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool IsLeader, bool IsSelf);

public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberInfo> Members);

public sealed record ClusterStatus(string Self, string SelfStatus, string? Leader, int Members, int Up, int Unreachable);

public sealed record ClusterActionRequest(string Address);

public sealed record ClusterActionResult(string Action, IReadOnlyList<string> Addresses);

public sealed record RegionSummary(string Type, int Nodes, int Shards, int Entities);

public sealed record RegionNodeStats(string Address, int Shards, int Entities);

/// <summary>Where each shard of a type lives and how many entities it has: shard locations for placement work.</summary>
public sealed record ShardLocation(string ShardId, string Address, int Entities);

public sealed record OpenAlert(string Rule, DateTimeOffset Since);

public sealed record EntityView(string Kind, string Id, IReadOnlyList<OpenAlert> OpenAlerts, int PendingAlerts, object State);

public sealed record PartitionLag(string Topic, int Partition, long? Committed, long End, long? Lag, string? Owner);

public sealed record TopicInfo(string Name, bool Exists, int Partitions, int ReplicationFactor, IReadOnlyDictionary<string, string> Configs, string? ConfigsError);

public sealed record TopicCreation(IReadOnlyList<string> Created, IReadOnlyList<string> AlreadyThere, IReadOnlyList<string> Failed);

public sealed record ErrorBody(string Error);
