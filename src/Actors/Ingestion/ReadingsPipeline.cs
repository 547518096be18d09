using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Registry;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;

namespace Streams.Actors.Ingestion;

/// <summary>
/// The readings topology: source (pegel, parking, bus) → validate → dead letter, or → the subject's sharded entity,
/// which acknowledges once the reading is durable and its alerts are written → commit. Offsets are committed only
/// for records whose work is done: dead letters acknowledged by Kafka, readings acknowledged by their entity.
/// </summary>
/// <remarks>
/// Readings are handed to entities in stream order (so per subject in partition order), but finish in any order: a
/// slow entity does not hold up the others. That is safe because the committer commits, per partition, only up to
/// the first offset that is not done yet.
/// </remarks>
public sealed class ReadingsPipeline(
    ReadingsPipelineSettings settings,
    RecordValidator validator,
    SubjectResolver resolver,
    ShardRegions regions,
    PipelineMetrics metrics,
    ILoggingAdapter log)
{
    public (IConsumerControl Control, Task Completion) Run(IMaterializer materializer)
    {
        var (control, completion) = KafkaSource.Committable(settings.Consumer, Subscription.OfTopics([.. settings.Topics.Readings]))
            .SelectAsyncUnordered(settings.Parallelism, Process)
            .Via(KafkaProducer.Flow<CommittableOffset>(settings.Producer))
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), Keep.Both)
            .Run(materializer);
        return (control, completion);
    }

    private async Task<ProducerEnvelope<CommittableOffset>> Process(CommittableMessage message)
    {
        var record = message.Record;
        metrics.Consumed(record.Topic);
        var raw = new RawRecord(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value);
        var kind = settings.Topics.KindOf(record.Topic);

        switch (validator.ValidateReading(kind, raw))
        {
            case ReadingValidation.Rejected rejected:
                return DeadLetter(rejected.DeadLetter, message);
            case ReadingValidation.Valid valid:
                var entry = resolver.Resolve(valid.Reading);
                if (entry is null)
                {
                    return DeadLetter(validator.Reject(raw, DeadLetterReasons.UnknownSubject,
                        $"no registry entry for {valid.Reading.Subject}"), message);
                }
                var ack = await AskUntilAcknowledged(regions.Sensors(kind), new ApplyReading(entry, valid.Reading)).ConfigureAwait(false);
                metrics.Acknowledged(ack.Applied, ack.Alerts);
                return new ProducerEnvelope<CommittableOffset>([], message.Offset);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }

    private ProducerEnvelope<CommittableOffset> DeadLetter(Contracts.Outputs.DeadLetter deadLetter, CommittableMessage message)
    {
        metrics.DeadLettered(deadLetter.Reason);
        var key = deadLetter.Key is null ? null : Encoding.UTF8.GetBytes(deadLetter.Key);
        return new ProducerEnvelope<CommittableOffset>(
            [new ProducerRecord(settings.DeadLetterTopic, key, ContractJson.Serialize(deadLetter))], message.Offset);
    }

    /// <summary>
    /// An entity that is restarting (e.g. its store is down) does not answer; asking again is safe because a reading
    /// already applied is recognised by its observedAt and only acknowledged.
    /// </summary>
    private async Task<ReadingAck> AskUntilAcknowledged(IActorRef region, ApplyReading command)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await region.Ask<ReadingAck>(command, settings.AskTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                log.Warning("No acknowledgment from {0} after {1} (attempt {2}); asking again", command.Reading.Subject, settings.AskTimeout, attempt);
                await Task.Delay(backoff).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
