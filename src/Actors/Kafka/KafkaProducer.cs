using Akka;
using Akka.Streams.Dsl;
using Streams.Actors.Kafka.Internal;

namespace Streams.Actors.Kafka;

public static class KafkaProducer
{
    /// <summary>
    /// Produces every record of an envelope and emits its pass-through once all are delivered, in envelope order.
    /// Retriable delivery errors are retried by the idempotent producer; a fatal one fails the stage.
    /// Up to <see cref="ProducerSettings.Parallelism"/> envelopes are in flight; each materialization owns a producer,
    /// flushed and disposed when the stage stops.
    /// </summary>
    public static Flow<ProducerEnvelope<T>, T, NotUsed> Flow<T>(ProducerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Streams.Dsl.Flow.FromGraph(new ProducerStage<T>(settings));
    }
}
