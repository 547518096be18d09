using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Placement;
using Streams.Actors.Publishing;
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
/// What is in flight is bounded by <see cref="ReadingsPipelineSettings.SubjectsInFlight"/> subject batches towards
/// entities and, in records, by two batches of <see cref="ReadingsPipelineSettings.MaxBatch"/> (the one being handed
/// out and the one filling behind it) plus the source's buffer: when entities or the journal are slower than Kafka,
/// the source stops pulling and the consumer pauses, instead of asks piling up and timing out. When records are
/// waiting (a backlog, busy entities) batches fill, so a backlog reaches each entity several readings at a time. A
/// subject's batches go to its entity one at a time, in partition order (<see cref="SubjectLanes"/>); different
/// subjects run concurrently and finish in any order, which is safe because the committer commits, per partition,
/// only up to the first offset that is not done yet.
/// No record is handled before <c>registryLoaded</c> completes, since subjects are resolved against the registry;
/// the consumer may join its group meanwhile, so the registry's read overlaps the group's rebalance.
/// </remarks>
public sealed class ReadingsPipeline(
    ReadingsPipelineSettings settings,
    RecordValidator validator,
    SubjectResolver resolver,
    ShardRegions regions,
    PipelineMetrics metrics,
    SensorLocality locality,
    ILoggingAdapter log,
    Task registryLoaded)
{
    private readonly SubjectLanes _lanes = new();
    private EntityReplies? _replies;

    public (IConsumerControl Control, Task Completion) Run(IMaterializer materializer)
    {
        if (_replies is not null) throw new InvalidOperationException("a readings pipeline runs once; make a new one to run again");
        var system = (materializer as ActorMaterializer)?.System ?? throw new ArgumentException("an actor materializer is needed", nameof(materializer));
        var replies = _replies = new EntityReplies(system);
        var (control, completion) = KafkaSource.Committable(settings.Consumer, Subscription.OfTopics([.. settings.Topics.Readings]))
            .Via(new HoldUntil<CommittableMessage>(registryLoaded))
            .GroupedWithin(settings.MaxBatch, settings.BatchWindow)
            .SelectMany(Prepare)
            .SelectAsyncUnordered(settings.SubjectsInFlight, Process)
            .SelectMany(envelopes => envelopes)
            .Via(KafkaProducer.Flow<CommittableOffset>(settings.Producer))
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), Keep.Both)
            .Run(materializer);
        // Awaited, not ContinueWith: the replies go only once the stream is done with them, however it ended.
        return (control, DisposeAfter(completion, replies));
    }

    private static async Task DisposeAfter(Task completion, IDisposable replies)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
        finally
        {
            replies.Dispose();
        }
    }

    /// <summary>
    /// Validates a batch of records and splits it into units of work: each rejected record on its own (a dead letter),
    /// and the valid readings of each subject together, in partition order.
    /// </summary>
    private IEnumerable<WorkUnit> Prepare(IEnumerable<CommittableMessage> batch)
    {
        var units = new List<WorkUnit>();
        // Keyed by kind and id: the subject key string is built once per subject and batch, not per record.
        var bySubject = new Dictionary<(SubjectKind Kind, string Id), SubjectBatch>();
        var (local, remote, mismatched) = (0, 0, 0);
        foreach (var message in batch)
        {
            var record = message.Record;
            metrics.Consumed(record.Topic);
            var raw = new RawRecord(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value);
            var kind = settings.Topics.KindOf(record.Topic);
            switch (validator.ValidateReading(kind, raw))
            {
                case ReadingValidation.Rejected rejected:
                    units.Add(new DeadLetterUnit(DeadLetter(rejected.DeadLetter, message)));
                    break;
                case ReadingValidation.Valid valid:
                    var entry = resolver.Resolve(valid.Reading);
                    if (entry is null)
                    {
                        var written = WrittenAt(message);
                        units.Add(resolver.Currency.CurrentAsOf >= written
                            ? new DeadLetterUnit(UnknownSubject(raw, valid.Reading.Subject, message))
                            : new AwaitingEntryUnit(kind, message, raw, valid.Reading, written));
                        break;
                    }
                    if (validator.CheckAgainstEntry(raw, valid.Reading, entry) is { } outOfRange)
                    {
                        units.Add(new DeadLetterUnit(DeadLetter(outOfRange, message)));
                        break;
                    }
                    if (!bySubject.TryGetValue((kind, valid.Reading.SubjectId), out var work))
                    {
                        var partition = locality.Placement.PartitionOf(valid.Reading.SubjectId);
                        bySubject[(kind, valid.Reading.SubjectId)] = work = new SubjectBatch(kind, valid.Reading.SubjectId, valid.Reading.Subject, partition, locality.IsLocal(kind, partition));
                        units.Add(work);
                    }
                    work.Add(message, raw, new EntryReading(entry, valid.Reading));
                    if (work.Local) local++;
                    else remote++;
                    if (raw.Partition != work.Partition) mismatched++;
                    break;
            }
        }
        locality.Metrics.Routed(local, remote, mismatched);
        return units;
    }

    private async Task<IReadOnlyList<ProducerEnvelope<CommittableOffset>>> Process(WorkUnit unit)
    {
        switch (unit)
        {
            case DeadLetterUnit deadLetter:
                return [deadLetter.Envelope];
            case AwaitingEntryUnit awaiting:
                return await _lanes.Run(awaiting.Reading.Subject, () => ApplyOnceRegistered(awaiting)).ConfigureAwait(false);
            default:
                var work = (SubjectBatch)unit;
                var answer = await _lanes.Run(work.Subject, () => ApplyUntilDone(work)).ConfigureAwait(false);
                return Complete(work, answer);
        }
    }

    /// <summary>
    /// A reading of a subject unknown when its batch was prepared, though the registry had not yet been read past the
    /// reading's write time: entry and reading travel on separate topics, so a sensor registered and reporting at once
    /// can have its reading read first. It waits (in its subject's lane, so order holds) until the registry is current
    /// past it, at most <see cref="ReadingsPipelineSettings.RegistryWaitLimit"/>, then is applied or dead-lettered.
    /// </summary>
    private async Task<IReadOnlyList<ProducerEnvelope<CommittableOffset>>> ApplyOnceRegistered(AwaitingEntryUnit awaiting)
    {
        await resolver.Currency.WaitUntilCurrentPast(awaiting.Written, settings.RegistryWaitLimit).ConfigureAwait(false);
        var (reading, raw, message) = (awaiting.Reading, awaiting.Raw, awaiting.Message);
        var entry = resolver.Resolve(reading);
        if (entry is null) return [UnknownSubject(raw, reading.Subject, message)];
        if (validator.CheckAgainstEntry(raw, reading, entry) is { } outOfRange) return [DeadLetter(outOfRange, message)];
        var partition = locality.Placement.PartitionOf(reading.SubjectId);
        var work = new SubjectBatch(awaiting.Kind, reading.SubjectId, reading.Subject, partition, locality.IsLocal(awaiting.Kind, partition));
        work.Add(message, raw, new EntryReading(entry, reading));
        log.Debug("{0}: registry entry found after waiting for the registry", reading.Subject);
        return Complete(work, await ApplyUntilDone(work).ConfigureAwait(false));
    }

    /// <summary>When the record was written (its timestamp), or now if it has none.</summary>
    private static DateTimeOffset WrittenAt(CommittableMessage message) =>
        message.Record.Message.Timestamp.Type == Confluent.Kafka.TimestampType.NotAvailable
            ? DateTimeOffset.UtcNow
            : new DateTimeOffset(message.Record.Message.Timestamp.UtcDateTime, TimeSpan.Zero);

    private ProducerEnvelope<CommittableOffset> UnknownSubject(RawRecord raw, string subject, CommittableMessage message) =>
        DeadLetter(validator.Reject(raw, DeadLetterReasons.UnknownSubject, $"no registry entry for {subject}"), message);

    private IReadOnlyList<ProducerEnvelope<CommittableOffset>> Complete(SubjectBatch work, IStreamsMessage answer)
    {
        var output = new ProducerEnvelope<CommittableOffset>[work.Messages.Count];
        switch (answer)
        {
            case ReadingsAck ack:
                metrics.Acknowledged(ack.Applied, ack.Duplicates, ack.Alerts);
                for (var k = 0; k < output.Length; k++)
                {
                    metrics.Latency(work.Messages[k].Record.Message.Timestamp.UtcDateTime);
                    output[k] = new ProducerEnvelope<CommittableOffset>([], work.Messages[k].Offset);
                }
                break;
            case ReadingsRefused refused:
                // Retired while these were on their way: as for a reading that arrives after the tombstone.
                for (var k = 0; k < output.Length; k++)
                {
                    output[k] = DeadLetter(validator.Reject(work.Raw[k], DeadLetterReasons.UnknownSubject,
                        $"no registry entry for {work.Subject} ({refused.Reason})"), work.Messages[k]);
                }
                break;
            default:
                throw new InvalidOperationException($"{work.Subject}: unexpected final answer {answer.GetType().Name}");
        }
        return output;
    }

    private ProducerEnvelope<CommittableOffset> DeadLetter(Contracts.Outputs.DeadLetter deadLetter, CommittableMessage message)
    {
        metrics.DeadLettered(deadLetter.Reason);
        return new ProducerEnvelope<CommittableOffset>([OutputRecords.DeadLetter(settings.DeadLetterTopic, deadLetter)], message.Offset);
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
                switch (await _replies!.Ask(region, command, work.Subject, timeout).ConfigureAwait(false))
                {
                    case IStreamsMessage answer when answer is ReadingsAck or ReadingsRefused:
                        if (attempt > 1)
                        {
                            metrics.SubjectRecovered(work.Subject);
                            log.Info("{0}: acknowledged after {1} attempts", work.Subject, attempt);
                        }
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

    private abstract class WorkUnit;

    private sealed class DeadLetterUnit(ProducerEnvelope<CommittableOffset> envelope) : WorkUnit
    {
        public ProducerEnvelope<CommittableOffset> Envelope { get; } = envelope;
    }

    /// <summary>A reading whose subject was not (yet) in the registry, with its record and write time.</summary>
    private sealed class AwaitingEntryUnit(SubjectKind kind, CommittableMessage message, RawRecord raw, Contracts.Readings.Reading reading, DateTimeOffset written) : WorkUnit
    {
        public SubjectKind Kind { get; } = kind;
        public CommittableMessage Message { get; } = message;
        public RawRecord Raw { get; } = raw;
        public Contracts.Readings.Reading Reading { get; } = reading;
        public DateTimeOffset Written { get; } = written;
    }

    /// <summary>
    /// The readings of one subject within one batch, in partition order, with their records; the partition its key
    /// maps to (= its shard) and whether that shard is on this node.
    /// </summary>
    private sealed class SubjectBatch(SubjectKind kind, string sensorId, string subject, int partition, bool local) : WorkUnit
    {
        public SubjectKind Kind { get; } = kind;
        public string SensorId { get; } = sensorId;
        public string Subject { get; } = subject;
        public int Partition { get; } = partition;
        public bool Local { get; } = local;
        public List<CommittableMessage> Messages { get; } = new(1);
        public List<RawRecord> Raw { get; } = new(1);
        public List<EntryReading> Items { get; } = new(1);

        public void Add(CommittableMessage message, RawRecord raw, EntryReading item)
        {
            Messages.Add(message);
            Raw.Add(raw);
            Items.Add(item);
        }
    }
}
