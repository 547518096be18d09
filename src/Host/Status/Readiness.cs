using System.Collections.Concurrent;

namespace Streams.Host.Status;

/// <summary>Named conditions that must all hold for the node to be ready; each unmet one says why.</summary>
public sealed class Readiness
{
    private readonly ConcurrentDictionary<string, string?> _conditions = new();

    public Readiness()
    {
        Set("cluster", "cluster member not up yet");
        Set("registry", "registry not read to its end yet");
        Set("consumer", "readings consumer has no partitions assigned yet");
        Set(Ingestion.StoreWarmUpService.Condition, "journal and snapshot store not tried yet");
    }

    /// <summary>A null reason means the condition holds.</summary>
    public void Set(string condition, string? unmetReason) => _conditions[condition] = unmetReason;

    public void Met(string condition) => Set(condition, null);

    public bool IsReady => _conditions.Values.All(r => r is null);

    public IReadOnlyDictionary<string, string> Unmet =>
        _conditions.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!);
}
