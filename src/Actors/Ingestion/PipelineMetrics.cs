using System.Collections.Concurrent;

namespace Streams.Actors.Ingestion;

/// <summary>Counters for the status line and the HTTP API. Thread-safe, cheap.</summary>
public sealed class PipelineMetrics
{
    private readonly ConcurrentDictionary<string, long> _consumedPerTopic = new();
    private readonly ConcurrentDictionary<string, long> _deadLettersPerReason = new();
    private long _applied;
    private long _duplicates;
    private long _alerts;
    private long _registryEntries;
    private long _liveEntities;

    public void Consumed(string topic) => _consumedPerTopic.AddOrUpdate(topic, 1, (_, n) => n + 1);
    public void DeadLettered(string reason) => _deadLettersPerReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
    public void Acknowledged(bool applied, int alerts)
    {
        if (applied) Interlocked.Increment(ref _applied);
        else Interlocked.Increment(ref _duplicates);
        Interlocked.Add(ref _alerts, alerts);
    }
    public void RegistryRecord() => Interlocked.Increment(ref _registryEntries);
    public void EntityStarted() => Interlocked.Increment(ref _liveEntities);
    public void EntityStopped() => Interlocked.Decrement(ref _liveEntities);
    public long LiveEntities => Interlocked.Read(ref _liveEntities);

    public IReadOnlyDictionary<string, long> ConsumedPerTopic => new SortedDictionary<string, long>(_consumedPerTopic);
    public IReadOnlyDictionary<string, long> DeadLettersPerReason => new SortedDictionary<string, long>(_deadLettersPerReason);
    public long DeadLetters => _deadLettersPerReason.Values.Sum();
    public long Applied => Interlocked.Read(ref _applied);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Alerts => Interlocked.Read(ref _alerts);
    public long RegistryRecords => Interlocked.Read(ref _registryEntries);
}
