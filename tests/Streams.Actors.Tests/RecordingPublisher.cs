using System.Collections.Concurrent;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;

namespace Streams.Actors.Tests;

/// <summary>
/// Stands in for Kafka: records what was published (and what was attempted); can be told to fail the next N
/// publications, or to hold publications until released.
/// </summary>
public sealed class RecordingPublisher(OutputTopics? topics = null) : OutputPublisherBase(topics ?? new("alerts", "aggregates", "deadletter"))
{
    private int _failNext;
    private TaskCompletionSource? _gate;
    public ConcurrentQueue<ProducerRecord> Records { get; } = new();
    public ConcurrentQueue<ProducerRecord> Attempted { get; } = new();
    public int Attempts;

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Publications wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public override async Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        foreach (var r in records) Attempted.Enqueue(r);
        if (_gate is { } gate) await gate.Task.ConfigureAwait(false);
        if (Interlocked.Decrement(ref _failNext) >= 0) throw new IOException("broker unreachable (test)");
        foreach (var r in records) Records.Enqueue(r);
    }

    public IReadOnlyList<ProducerRecord> On(string topic) => Records.Where(r => r.Topic == topic).ToList();
}
