using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Streams.Actors.Ingestion;

/// <summary>
/// Counters for the status line, the HTTP API and the exported meter <see cref="MeterName"/>. The meter's
/// observable instruments read these very counters, so <c>/metrics</c>, <c>/api/status</c> and the status line
/// cannot disagree. Thread-safe, cheap.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "Streams.Pipeline";

    private readonly KeyedCounters<string> _consumedPerTopic = new(StringComparer.Ordinal);
    private readonly KeyedCounters<string> _deadLettersPerReason = new(StringComparer.Ordinal);
    private readonly KeyedCounters<(string Rule, string State)> _alertsPublished = new();
    private readonly KeyedCounters<string> _restartsPerStream = new(StringComparer.Ordinal);
    private long _applied;
    private long _duplicates;
    private long _alerts;
    private long _registryEntries;
    private long _liveEntities;
    private long _sensorsPassivatedForLimit;
    private long _stopSnapshotsTaken;
    private long _stopSnapshotsSkipped;
    private long _lastStoreSuccess;
    private long _lastStoreFailure;
    private long _storeFailures;
    private volatile string? _lastStoreError;
    private readonly ConcurrentDictionary<string, FailingSubject> _failingSubjects = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Histogram<double> _latency;

    public PipelineMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("streams.readings.consumed", () => Tagged(_consumedPerTopic, "topic"), "{record}",
            "Records consumed from the reading topics, per topic");
        _meter.CreateObservableCounter("streams.readings.acknowledged", () => new[]
        {
            new Measurement<long>(Applied, new KeyValuePair<string, object?>("outcome", "applied")),
            new Measurement<long>(Duplicates, new KeyValuePair<string, object?>("outcome", "duplicate")),
        }, "{reading}", "Readings acknowledged by their entity (stored, alerts published)");
        _meter.CreateObservableCounter("streams.deadletters", () => Tagged(_deadLettersPerReason, "reason"), "{record}",
            "Rejected input records written to the dead-letter topic, per reason");
        _meter.CreateObservableCounter("streams.alerts.published", () => _alertsPublished.Snapshot().Select(kv => new Measurement<long>(kv.Value,
            new KeyValuePair<string, object?>("rule", kv.Key.Rule), new KeyValuePair<string, object?>("state", kv.Key.State))),
            "{alert}", "Alert events acknowledged by Kafka, per rule and state (at least once: a republished outbox counts again)");
        _meter.CreateObservableCounter("streams.registry.records", () => RegistryRecords, "{record}", "Registry records read");
        _meter.CreateObservableUpDownCounter("streams.entities.live", () => LiveEntities, "{entity}", "Entities running on this node");
        _meter.CreateObservableCounter("streams.entities.passivated_for_limit", () => SensorsPassivatedForLimit, "{entity}",
            "Sensors passivated because the node reached its limit of live sensors");
        _meter.CreateObservableCounter("streams.entities.stop_snapshots", () => new[]
        {
            new Measurement<long>(StopSnapshotsTaken, new KeyValuePair<string, object?>("outcome", "taken")),
            new Measurement<long>(StopSnapshotsSkipped, new KeyValuePair<string, object?>("outcome", "skipped")),
        }, "{snapshot}", "Snapshots owed by stopping sensors: taken, or skipped because the node's slots were taken (Streams:Entities:StopSnapshotsInFlight)");
        _meter.CreateObservableUpDownCounter("streams.subjects.failing", () => _failingSubjects.Count, "{subject}",
            "Subjects whose readings could not be stored yet and are being asked again");
        _meter.CreateObservableCounter("streams.journal.failures", () => Interlocked.Read(ref _storeFailures), "{failure}",
            "Journal writes or recoveries that failed (the entity stops and is restarted by the retry)");
        _latency = _meter.CreateHistogram("streams.processing.latency", "s",
            "From the Kafka record's timestamp to the entity's acknowledgement (stored, alerts published)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Consumed(string topic) => _consumedPerTopic.Increment(topic);
    public void DeadLettered(string reason) => _deadLettersPerReason.Increment(reason);
    public void Acknowledged(bool applied, int alerts)
    {
        if (applied) Interlocked.Increment(ref _applied);
        else Interlocked.Increment(ref _duplicates);
        Interlocked.Add(ref _alerts, alerts);
    }
    public void Acknowledged(int applied, int duplicates, int alerts)
    {
        Interlocked.Add(ref _applied, applied);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _alerts, alerts);
    }

    /// <summary>A subject's batch was not acknowledged and is being asked again.</summary>
    public void SubjectFailing(string subject, string problem) =>
        _failingSubjects.AddOrUpdate(subject, _ => new FailingSubject(subject, DateTimeOffset.UtcNow, 1, problem),
            (_, f) => f with { Attempts = f.Attempts + 1, Problem = problem });

    public void SubjectRecovered(string subject) => _failingSubjects.TryRemove(subject, out _);

    /// <summary>Subjects whose readings are being retried right now, longest failing first.</summary>
    public IReadOnlyList<FailingSubject> FailingSubjects =>
        _failingSubjects.Values.OrderBy(f => f.Since).ToList();

    /// <summary>As <see cref="Acknowledged(bool,int)"/>, and records the latency since the record's Kafka timestamp.</summary>
    public void Acknowledged(bool applied, int alerts, DateTime recordTimestampUtc)
    {
        Acknowledged(applied, alerts);
        if (recordTimestampUtc.Year > 1970) _latency.Record(Math.Max(0, (DateTime.UtcNow - recordTimestampUtc).TotalSeconds));
    }

    /// <summary>Records the latency from a record's Kafka timestamp to its acknowledgement.</summary>
    public void Latency(DateTime recordTimestampUtc)
    {
        if (recordTimestampUtc.Year > 1970) _latency.Record(Math.Max(0, (DateTime.UtcNow - recordTimestampUtc).TotalSeconds));
    }

    /// <summary>An alert event was acknowledged by Kafka.</summary>
    public void AlertPublished(string rule, string state) => _alertsPublished.Increment((rule, state));

    /// <summary>A stream (readings, registry, output publisher) failed and is started again.</summary>
    public void StreamRestarted(string stream) => _restartsPerStream.Increment(stream);
    public IReadOnlyDictionary<string, long> StreamRestarts => Sorted(_restartsPerStream.Snapshot());
    public void RegistryRecord() => Interlocked.Increment(ref _registryEntries);
    public void EntityStarted() => Interlocked.Increment(ref _liveEntities);
    public void EntityStopped() => Interlocked.Decrement(ref _liveEntities);
    public long LiveEntities => Interlocked.Read(ref _liveEntities);
    public void SensorPassivatedForLimit() => Interlocked.Increment(ref _sensorsPassivatedForLimit);
    public long SensorsPassivatedForLimit => Interlocked.Read(ref _sensorsPassivatedForLimit);

    /// <summary>A stopping sensor owed a snapshot and took it, or stopped without it because every slot was taken.</summary>
    public void StopSnapshot(bool taken) => Interlocked.Increment(ref taken ? ref _stopSnapshotsTaken : ref _stopSnapshotsSkipped);
    public long StopSnapshotsTaken => Interlocked.Read(ref _stopSnapshotsTaken);
    public long StopSnapshotsSkipped => Interlocked.Read(ref _stopSnapshotsSkipped);

    /// <summary>An entity wrote to or recovered from the journal.</summary>
    public void StoreSucceeded() => Volatile.Write(ref _lastStoreSuccess, Environment.TickCount64);

    /// <summary>An entity's journal write or recovery failed (the entity stops; its work is retried).</summary>
    public void StoreFailed(Exception cause)
    {
        _lastStoreError = cause.GetBaseException().Message;
        Interlocked.Increment(ref _storeFailures);
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

    public IReadOnlyDictionary<string, long> ConsumedPerTopic => Sorted(_consumedPerTopic.Snapshot());
    public IReadOnlyDictionary<string, long> DeadLettersPerReason => Sorted(_deadLettersPerReason.Snapshot());
    public IReadOnlyDictionary<string, long> AlertsPublished =>
        Sorted(_alertsPublished.Snapshot().Select(kv => KeyValuePair.Create($"{kv.Key.Rule}/{kv.Key.State}", kv.Value)));
    public long DeadLetters => _deadLettersPerReason.Total;
    public long Applied => Interlocked.Read(ref _applied);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Alerts => Interlocked.Read(ref _alerts);
    public long RegistryRecords => Interlocked.Read(ref _registryEntries);

    private static SortedDictionary<string, long> Sorted(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var sorted = new SortedDictionary<string, long>();
        foreach (var (key, count) in counts) sorted[key] = count;
        return sorted;
    }

    private static IEnumerable<Measurement<long>> Tagged(KeyedCounters<string> counts, string tag) =>
        counts.Snapshot().Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>(tag, kv.Key)));

    public void Dispose() => _meter.Dispose();
}

/// <summary>A subject whose readings could not be stored yet: since when, how many attempts, the last problem.</summary>
public sealed record FailingSubject(string Subject, DateTimeOffset Since, int Attempts, string Problem);
