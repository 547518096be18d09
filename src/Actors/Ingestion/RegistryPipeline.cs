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
    public (IConsumerControl Control, Task Completion) Run(IMaterializer materializer)
    {
        IConsumerControl? control = null;
        var atEnd = new HashSet<TopicPartition>();
        var (ctl, completion) = KafkaSource.Plain(consumer with { EnablePartitionEof = true }, Subscription.FromBeginning(registryTopic))
            .SelectAsync(1, async record =>
            {
                if (record.IsPartitionEOF)
                {
                    atEnd.Add(record.TopicPartition);
                    if (control is { Assignment.Count: > 0 } c && c.Assignment.All(atEnd.Contains))
                    {
                        registry.Currency.AtEnd();
                        if (!registry.IsLoaded)
                        {
                            registry.MarkLoaded();
                            log.Info("Registry loaded: {0} entries from {1}", registry.Count, registryTopic);
                        }
                    }
                    return NotUsed.Instance;
                }
                atEnd.Remove(record.TopicPartition);
                registry.Currency.Behind();
                await Apply(record).ConfigureAwait(false);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        control = ctl;
        // A stopped registry stream no longer follows the topic: until it is at the end again, nothing new is known complete.
        completion.ContinueWith(_ => registry.Currency.Behind(), TaskScheduler.Default);
        return (ctl, completion);
    }

    private async Task Apply(ConsumeResult<byte[]?, byte[]?> record)
    {
        metrics.RegistryRecord();
        var raw = new RawRecord(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value);
        switch (validator.ValidateRegistry(raw))
        {
            case RegistryValidation.Entry e:
                registry.Upsert(e.Value);
                break;
            case RegistryValidation.Tombstone t:
                registry.Remove(t.Kind, t.Id);
                break;
            case RegistryValidation.Rejected r:
                metrics.DeadLettered(r.DeadLetter.Reason);
                await publisher.PublishDeadLetterAsync(r.DeadLetter).ConfigureAwait(false);
                break;
        }
    }
}
