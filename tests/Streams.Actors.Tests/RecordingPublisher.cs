using System.Collections.Concurrent;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;

namespace Streams.Actors.Tests;

/// <summary>Stands in for Kafka: records what was published; can be told to fail the next N publications.</summary>
public sealed class RecordingPublisher(OutputTopics? topics = null) : OutputPublisherBase(topics ?? new("alerts", "aggregates", "deadletter"))
{
    private int _failNext;
    public ConcurrentQueue<ProducerRecord> Records { get; } = new();
    public int Attempts;

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public override Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        if (Interlocked.Decrement(ref _failNext) >= 0) return Task.FromException(new IOException("broker unreachable (test)"));
        foreach (var r in records) Records.Enqueue(r);
        return Task.CompletedTask;
    }

    public IReadOnlyList<ProducerRecord> On(string topic) => Records.Where(r => r.Topic == topic).ToList();
}
