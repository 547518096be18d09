using System.Collections.Concurrent;

namespace Streams.Actors.Ingestion;

/// <summary>Counters for the status line and the HTTP API. Thread-safe, cheap.</summary>
public sealed class PipelineMetrics
{
    private readonly ConcurrentDictionary<string, long> _consumedPerTopic = new();
    private readonly ConcurrentDictionary<string, long> _deadLettersPerReason = new();
    private readonly ConcurrentDictionary<string, long> _restartsPerStream = new();
    private long _applied;
    private long _duplicates;
    private long _alerts;
    private long _registryEntries;
    private long _liveEntities;
    private long _lastStoreSuccess;
    private long _lastStoreFailure;
    private volatile string? _lastStoreError;

    public void Consumed(string topic) => _consumedPerTopic.AddOrUpdate(topic, 1, (_, n) => n + 1);
    public void DeadLettered(string reason) => _deadLettersPerReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
    public void Acknowledged(bool applied, int alerts)
    {
        if (applied) Interlocked.Increment(ref _applied);
        else Interlocked.Increment(ref _duplicates);
        Interlocked.Add(ref _alerts, alerts);
    }
    /// <summary>A stream (readings, registry, output publisher) failed and is started again.</summary>
    public void StreamRestarted(string stream) => _restartsPerStream.AddOrUpdate(stream, 1, (_, n) => n + 1);
    public IReadOnlyDictionary<string, long> StreamRestarts => new SortedDictionary<string, long>(_restartsPerStream);
    public void RegistryRecord() => Interlocked.Increment(ref _registryEntries);
    public void EntityStarted() => Interlocked.Increment(ref _liveEntities);
    public void EntityStopped() => Interlocked.Decrement(ref _liveEntities);
    public long LiveEntities => Interlocked.Read(ref _liveEntities);

    /// <summary>An entity wrote to or recovered from the journal.</summary>
    public void StoreSucceeded() => Volatile.Write(ref _lastStoreSuccess, Environment.TickCount64);

    /// <summary>An entity's journal write or recovery failed (the entity stops; its work is retried).</summary>
    public void StoreFailed(Exception cause)
    {
        _lastStoreError = cause.GetBaseException().Message;
        Volatile.Write(ref _lastStoreFailure, Environment.TickCount64);
    }

    /// <summary>Null while the journal works; otherwise why not: its last call failed and none succeeded since.</summary>
    public string? StoreProblem
    {
        get
        {
            var failure = Volatile.Read(ref _lastStoreFailure);
            if (failure == 0 || Volatile.Read(ref _lastStoreSuccess) >= failure) return null;
            return $"journal failing ({(Environment.TickCount64 - failure) / 1000} s since the last failure): {_lastStoreError}";
        }
    }

    public IReadOnlyDictionary<string, long> ConsumedPerTopic => new SortedDictionary<string, long>(_consumedPerTopic);
    public IReadOnlyDictionary<string, long> DeadLettersPerReason => new SortedDictionary<string, long>(_deadLettersPerReason);
    public long DeadLetters => _deadLettersPerReason.Values.Sum();
    public long Applied => Interlocked.Read(ref _applied);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Alerts => Interlocked.Read(ref _alerts);
    public long RegistryRecords => Interlocked.Read(ref _registryEntries);
}
