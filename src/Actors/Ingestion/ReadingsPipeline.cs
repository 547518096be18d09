using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
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
/// Readings of one subject go to their entity one at a time, in partition order (see <see cref="SubjectLanes"/>);
/// different subjects are processed concurrently and finish in any order: a slow entity does not hold up the others.
/// That is safe because the committer commits, per partition, only up to the first offset that is not done yet.
/// </remarks>
public sealed class ReadingsPipeline(
    ReadingsPipelineSettings settings,
    RecordValidator validator,
    SubjectResolver resolver,
    ShardRegions regions,
    PipelineMetrics metrics,
    ILoggingAdapter log)
{
    private readonly SubjectLanes _lanes = new();

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
                if (validator.CheckAgainstEntry(raw, valid.Reading, entry) is { } outOfRange)
                    return DeadLetter(outOfRange, message);
                var command = new ApplyReading(entry, valid.Reading);
                var ack = await _lanes.Run(valid.Reading.Subject, () => AskUntilAcknowledged(regions.Sensors(kind), command)).ConfigureAwait(false);
                metrics.Acknowledged(ack.Applied, ack.Alerts);
                return new ProducerEnvelope<CommittableOffset>([], message.Offset);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }

    private ProducerEnvelope<CommittableOffset> DeadLetter(Contracts.Outputs.DeadLetter deadLetter, CommittableMessage message)
    {
        metrics.DeadLettered(deadLetter.Reason);
        return new ProducerEnvelope<CommittableOffset>([OutputRecords.DeadLetter(settings.DeadLetterTopic, deadLetter)], message.Offset);
    }

    /// <summary>
    /// Asks until the entity acknowledges. An entity whose store failed says so (<see cref="ReadingNotStored"/>) and
    /// stops; one that fails while recovering cannot answer, so its asker times out. Either way the reading is asked
    /// again after a growing pause, which restarts the entity; asking again is safe because a reading already applied
    /// is recognised by its observedAt and only acknowledged. Retries wait a shorter time for an answer than the first
    /// ask, so the pipeline notices a store that is back within seconds.
    /// </summary>
    private async Task<ReadingAck> AskUntilAcknowledged(IActorRef region, ApplyReading command)
    {
        var backoff = settings.RetryBackoffMin;
        var timeout = settings.AskTimeout;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                switch (await region.Ask<IStreamsMessage>(command, timeout).ConfigureAwait(false))
                {
                    case ReadingAck ack:
                        if (attempt > 1) log.Info("{0} acknowledged after {1} attempts", command.Reading.Subject, attempt);
                        return ack;
                    case ReadingNotStored notStored:
                        problem = $"not stored: {notStored.Reason}";
                        break;
                    case var other:
                        throw new InvalidOperationException($"unexpected answer {other.GetType().Name} from {command.Reading.Subject}");
                }
            }
            catch (AskTimeoutException)
            {
                problem = $"no acknowledgment within {timeout.TotalSeconds:0.#} s";
            }
            if (attempt == 1 || attempt % 10 == 0)
                log.Warning("{0}: {1} (attempt {2}); asking again in {3:0.#} s", command.Reading.Subject, problem, attempt, backoff.TotalSeconds);
            await Task.Delay(backoff).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.RetryBackoffMax.Ticks));
            timeout = settings.RetryAskTimeout < settings.AskTimeout ? settings.RetryAskTimeout : settings.AskTimeout;
        }
    }
}
