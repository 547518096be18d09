using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;

namespace Streams.Actors.Ingestion;

/// <summary>
/// The readings topology: source (pegel, parking, bus) → batches → validate → dead letter, or → one
/// <see cref="ApplyReadings"/> per subject and batch to its sharded entity, which acknowledges once the batch is durable
/// and its alerts are written → commit. Offsets are committed only for records whose work is done: dead letters
/// acknowledged by Kafka, readings acknowledged by their entity.
/// </summary>
/// <remarks>
/// What is in flight is bounded by <see cref="ReadingsPipelineSettings.MaxBatch"/> ×
/// <see cref="ReadingsPipelineSettings.BatchesInFlight"/> records: when entities or the journal are slower than Kafka,
/// the source stops pulling and the consumer pauses, instead of asks piling up and timing out. A subject's batches go
/// to its entity one at a time, in partition order (<see cref="SubjectLanes"/>); different subjects run concurrently
/// and finish in any order, which is safe because the committer commits, per partition, only up to the first offset
/// that is not done yet.
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
            .GroupedWithin(settings.MaxBatch, settings.BatchWindow)
            .SelectAsyncUnordered(settings.BatchesInFlight, ProcessBatch)
            .SelectMany(envelopes => envelopes)
            .Via(KafkaProducer.Flow<CommittableOffset>(settings.Producer))
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), Keep.Both)
            .Run(materializer);
        return (control, completion);
    }

    private async Task<IReadOnlyList<ProducerEnvelope<CommittableOffset>>> ProcessBatch(IEnumerable<CommittableMessage> batch)
    {
        var messages = batch as IReadOnlyList<CommittableMessage> ?? batch.ToList();
        var output = new ProducerEnvelope<CommittableOffset>[messages.Count];
        var bySubject = new Dictionary<string, SubjectBatch>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var record = message.Record;
            metrics.Consumed(record.Topic);
            var raw = new RawRecord(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value);
            var kind = settings.Topics.KindOf(record.Topic);
            switch (validator.ValidateReading(kind, raw))
            {
                case ReadingValidation.Rejected rejected:
                    output[i] = DeadLetter(rejected.DeadLetter, message);
                    break;
                case ReadingValidation.Valid valid:
                    var entry = resolver.Resolve(valid.Reading);
                    if (entry is null)
                    {
                        output[i] = DeadLetter(validator.Reject(raw, DeadLetterReasons.UnknownSubject,
                            $"no registry entry for {valid.Reading.Subject}"), message);
                        break;
                    }
                    var subject = valid.Reading.Subject;
                    if (!bySubject.TryGetValue(subject, out var work))
                        bySubject[subject] = work = new SubjectBatch(kind, valid.Reading.SubjectId, subject);
                    work.Add(i, raw, new EntryReading(entry, valid.Reading));
                    break;
            }
        }

        if (bySubject.Count > 0)
        {
            var pending = new List<Task>(bySubject.Count);
            foreach (var work in bySubject.Values)
                pending.Add(_lanes.Run(work.Subject, () => ApplyUntilDone(work)));
            await Task.WhenAll(pending).ConfigureAwait(false);
            foreach (var work in bySubject.Values) Complete(work, messages, output);
        }
        return output;
    }

    private void Complete(SubjectBatch work, IReadOnlyList<CommittableMessage> messages, ProducerEnvelope<CommittableOffset>[] output)
    {
        switch (work.Answer)
        {
            case ReadingsAck ack:
                metrics.Acknowledged(ack.Applied, ack.Duplicates, ack.Alerts);
                foreach (var index in work.Indexes) output[index] = new ProducerEnvelope<CommittableOffset>([], messages[index].Offset);
                break;
            case ReadingsRefused refused:
                // Retired while these were on their way: as for a reading that arrives after the tombstone.
                for (var k = 0; k < work.Indexes.Count; k++)
                {
                    var index = work.Indexes[k];
                    output[index] = DeadLetter(validator.Reject(work.Raw[k], DeadLetterReasons.UnknownSubject,
                        $"no registry entry for {work.Subject} ({refused.Reason})"), messages[index]);
                }
                break;
            default:
                throw new InvalidOperationException($"{work.Subject}: no final answer");
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
    /// Asks until the entity acknowledges (or refuses) the batch. An entity whose store failed says so
    /// (<see cref="ReadingsNotStored"/>) and stops; one that fails while recovering cannot answer, so its asker times
    /// out. Either way the batch is asked again after a growing pause, which restarts the entity; asking again is safe
    /// because readings already applied are recognised by their observedAt and only acknowledged. Since in-flight work
    /// is bounded, the ask timeout is not reached merely because the node is busy. A subject that keeps failing is
    /// reported by name (status, readiness) until it succeeds; its readings are never skipped.
    /// </summary>
    private async Task<IStreamsMessage> ApplyUntilDone(SubjectBatch work)
    {
        var command = new ApplyReadings(work.SensorId, work.Items);
        var region = regions.Sensors(work.Kind);
        var backoff = settings.RetryBackoffMin;
        var timeout = settings.AskTimeout;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                switch (await region.Ask<IStreamsMessage>(command, timeout).ConfigureAwait(false))
                {
                    case IStreamsMessage answer when answer is ReadingsAck or ReadingsRefused:
                        if (attempt > 1)
                        {
                            metrics.SubjectRecovered(work.Subject);
                            log.Info("{0}: acknowledged after {1} attempts", work.Subject, attempt);
                        }
                        work.Answer = answer;
                        return answer;
                    case ReadingsNotStored notStored:
                        problem = $"not stored: {notStored.Reason}";
                        break;
                    case var other:
                        throw new InvalidOperationException($"unexpected answer {other.GetType().Name} from {work.Subject}");
                }
            }
            catch (AskTimeoutException)
            {
                problem = $"no acknowledgment within {timeout.TotalSeconds:0.#} s";
            }
            metrics.SubjectFailing(work.Subject, problem);
            if (attempt == 1 || attempt % 10 == 0)
                log.Warning("{0}: {1} (attempt {2}); asking again in {3:0.#} s", work.Subject, problem, attempt, backoff.TotalSeconds);
            await Task.Delay(backoff).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.RetryBackoffMax.Ticks));
            timeout = settings.RetryAskTimeout < settings.AskTimeout ? settings.RetryAskTimeout : settings.AskTimeout;
        }
    }

    /// <summary>The readings of one subject within one batch, in partition order, and where they sit in the batch.</summary>
    private sealed class SubjectBatch(SubjectKind kind, string sensorId, string subject)
    {
        public SubjectKind Kind { get; } = kind;
        public string SensorId { get; } = sensorId;
        public string Subject { get; } = subject;
        public List<int> Indexes { get; } = new(1);
        public List<RawRecord> Raw { get; } = new(1);
        public List<EntryReading> Items { get; } = new(1);
        public IStreamsMessage? Answer { get; set; }

        public void Add(int index, RawRecord raw, EntryReading item)
        {
            Indexes.Add(index);
            Raw.Add(raw);
            Items.Add(item);
        }
    }
}
