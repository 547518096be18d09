using Akka;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
using Streams.Actors.Registry;
using Streams.Contracts.Validation;

namespace Streams.Actors.Ingestion;

/// <summary>
/// Reads the compacted registry topic from the beginning into this node's <see cref="RegistryView"/>, marks it loaded
/// once every partition reached its end, and keeps following it. Invalid entries become dead letters.
/// </summary>
public sealed class RegistryPipeline(
    ConsumerSettings consumer,
    string registryTopic,
    RecordValidator validator,
    RegistryView registry,
    IOutputPublisher publisher,
    PipelineMetrics metrics,
    ILoggingAdapter log)
{
    /// <summary>Records handled as one step when they wait (a backlog, the first read): one publication each.</summary>
    private const int MaxGroup = 4096;

    /// <summary>During the first read, changes are published once this many, or as many as the view holds, are pending.</summary>
    private const int FirstReadPublication = 1024;

    public (IConsumerControl Control, Task Completion) Run(IMaterializer materializer)
    {
        IConsumerControl? control = null;
        var atEnd = new HashSet<TopicPartition>();
        var batch = registry.Batch();
        var (ctl, completion) = KafkaSource.Plain(consumer with { EnablePartitionEof = true }, Subscription.FromBeginning(registryTopic))
            .Batch(MaxGroup, first => new List<ConsumeResult<byte[]?, byte[]?>> { first }, (group, record) =>
            {
                group.Add(record);
                return group;
            })
            .SelectAsync(1, async group =>
            {
                foreach (var record in group)
                {
                    if (record.IsPartitionEOF)
                    {
                        atEnd.Add(record.TopicPartition);
                        if (control is { Assignment.Count: > 0 } c && c.Assignment.All(atEnd.Contains)) ReachedEnd(batch);
                        continue;
                    }
                    atEnd.Remove(record.TopicPartition);
                    registry.Currency.Behind();
                    await Apply(record, batch).ConfigureAwait(false);
                }
                // Once loaded, every change is visible as soon as its group is applied. During the first read changes
                // are published only as the view doubles, so its index builders mostly mutate in place.
                if (registry.IsLoaded || batch.Pending >= Math.Max(FirstReadPublication, registry.Count)) registry.Publish(batch);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        control = ctl;
        // A stopped registry stream no longer follows the topic: until it is at the end again, nothing new is known complete.
        completion.ContinueWith(_ => registry.Currency.Behind(), TaskScheduler.Default);
        return (ctl, completion);
    }

    private void ReachedEnd(RegistryBatch batch)
    {
        registry.Publish(batch);
        registry.Currency.AtEnd();
        if (registry.IsLoaded) return;
        registry.MarkLoaded();
        log.Info("Registry loaded: {0} entries from {1}", registry.Count, registryTopic);
    }

    private async Task Apply(ConsumeResult<byte[]?, byte[]?> record, RegistryBatch batch)
    {
        metrics.RegistryRecord();
        var raw = new RawRecord(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value);
        switch (validator.ValidateRegistry(raw))
        {
            case RegistryValidation.Entry e:
                batch.Upsert(e.Value);
                break;
            case RegistryValidation.Tombstone t:
                batch.Remove(t.Kind, t.Id);
                break;
            case RegistryValidation.Rejected r:
                metrics.DeadLettered(r.DeadLetter.Reason);
                await publisher.PublishDeadLetterAsync(r.DeadLetter).ConfigureAwait(false);
                break;
        }
    }
}
