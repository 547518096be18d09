using System.Diagnostics;
using Confluent.Kafka;
using Streams.Contracts;
using Streams.Feeds.Model;
using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>
/// Writes records to the contract topics in the given (event-time) order with an idempotent producer, pacing
/// readings by their event time when a speed is set. Reports progress after every record.
/// </summary>
internal static class ReplayWriter
{
    public sealed record Result(IReadOnlyDictionary<string, long> WrittenPerTopic, long Failed, string? FirstError, TimeSpan Elapsed);

    public static async Task<Result> WriteAsync(IReadOnlyList<FeedRecord> records, ReplayKafkaTarget.Target target, TopicOptions topics,
        double? speed, Action<int, DateTimeOffset?> progress, CancellationToken cancel,
        Func<IReadOnlyCollection<string>, Task>? afterRegistry = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = target.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            MessageTimeoutMs = 30_000,
        };
        foreach (var (k, v) in target.Properties) config.Set(k, v);
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        var written = new Dictionary<string, long>();
        long failed = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var firstEventTime = records.Select(r => r.ObservedAt).FirstOrDefault(t => t is not null);

        var registryKeys = new List<string>();
        for (var i = 0; i < records.Count && !cancel.IsCancellationRequested; i++)
        {
            var record = records[i];
            if (record is FeedRecord.Entry) registryKeys.Add(record.Key);
            else if (registryKeys.Count > 0 && afterRegistry is not null)
            {
                // Registry and readings are separate topics: a node may read a new subject's first readings before its
                // entry. The entries go first, and the readings once the node has them.
                producer.Flush(TimeSpan.FromSeconds(60));
                await afterRegistry(registryKeys).ConfigureAwait(false);
                registryKeys.Clear();
                afterRegistry = null;
            }
            if (speed is { } factor && record.ObservedAt is { } at && firstEventTime is { } start)
            {
                var due = TimeSpan.FromTicks((long)((at - start).Ticks / factor));
                if (due > clock.Elapsed)
                {
                    try { await Task.Delay(due - clock.Elapsed, cancel); }
                    catch (OperationCanceledException) { break; }
                }
            }
            var topic = TopicOf(record, topics);
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, byte[]> { Key = record.Key, Value = record.Serialize() }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failed);
                            Interlocked.CompareExchange(ref firstError, report.Error.Reason, null);
                        }
                        else lock (written) written[report.Topic] = written.GetValueOrDefault(report.Topic) + 1;
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
            progress(i + 1, record.ObservedAt);
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        lock (written) return new Result(new Dictionary<string, long>(written), failed, firstError, clock.Elapsed);
    }

    public static string TopicOf(FeedRecord record, TopicOptions topics) => record switch
    {
        FeedRecord.Entry => topics.Registry,
        FeedRecord.Measurement { Reading.Kind: SubjectKind.Pegel } => topics.Pegel,
        FeedRecord.Measurement { Reading.Kind: SubjectKind.Parking } => topics.Parking,
        FeedRecord.Measurement { Reading.Kind: SubjectKind.Bus } => topics.Bus,
        _ => throw new ArgumentOutOfRangeException(nameof(record), record, "no topic for this record"),
    };
}
