using Akka;
using Akka.Streams.Dsl;

namespace Streams.Actors.Kafka;

public static class KafkaProducer
{
    /// <summary>
    /// Produces every record of an envelope and emits its pass-through once all are delivered, in envelope order.
    /// Retriable delivery errors are retried by the idempotent producer; a fatal one fails the stage.
    /// </summary>
    public static Flow<ProducerEnvelope<T>, T, NotUsed> Flow<T>(ProducerSettings settings) => throw new NotImplementedException();
}
