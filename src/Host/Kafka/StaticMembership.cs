namespace Streams.Host.Kafka;

/// <summary>
/// Static group membership (<c>group.instance.id</c>): a restarted node with the same id gets its partitions back
/// without a rebalance of the whole group, if it returns within <c>session.timeout.ms</c>. The price: a member that
/// leaves for good keeps its partitions unassigned until that timeout, because a static member's close sends no
/// LeaveGroup. Hence only with stable names (a StatefulSet's pods), and off by default.
/// </summary>
public sealed class StaticMembershipOptions
{
    /// <summary><c>Streams:Kafka:StaticMembership</c>: derive the id from the pod or host name.</summary>
    public bool StaticMembership { get; set; }

    /// <summary><c>Streams:Kafka:GroupInstanceId</c>: an explicit id (wins over the derived one).</summary>
    public string? GroupInstanceId { get; set; }

    public static StaticMembershipOptions From(IConfiguration configuration) =>
        configuration.GetSection("Streams:Kafka").Get<StaticMembershipOptions>() ?? new StaticMembershipOptions();

    /// <summary>Null: dynamic membership.</summary>
    public string? InstanceId(Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(GroupInstanceId)) return GroupInstanceId.Trim();
        if (!StaticMembership) return null;
        var name = environment("POD_NAME") ?? environment("HOSTNAME") ?? Environment.MachineName;
        return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
    }
}
