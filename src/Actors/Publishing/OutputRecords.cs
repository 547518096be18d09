using System.Text;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;

namespace Streams.Actors.Publishing;

/// <summary>The one place where output records get their topic, key, headers and bytes, as the contract says.</summary>
public static class OutputRecords
{
    private static readonly byte[] CloudEventsContentType = Encoding.UTF8.GetBytes(AlertEvent.ContentType);

    /// <summary>Key: the subject <c>{kind}/{id}</c>; header <c>content-type: application/cloudevents+json</c>.</summary>
    public static ProducerRecord Alert(OutputTopics topics, AlertEvent alert) =>
        new(topics.Alerts, Encoding.UTF8.GetBytes(alert.Subject), ContractJson.Serialize(alert))
        {
            Headers = [new("content-type", CloudEventsContentType)],
        };

    /// <summary>Key: the municipality id (the topic is compacted: the latest value is the live state).</summary>
    public static ProducerRecord Aggregate(OutputTopics topics, MunicipalityAggregate aggregate) =>
        new(topics.Aggregates, Encoding.UTF8.GetBytes(aggregate.Municipality), ContractJson.Serialize(aggregate));

    /// <summary>Key: the rejected record's key (none when it had none).</summary>
    public static ProducerRecord DeadLetter(string topic, DeadLetter deadLetter) =>
        new(topic, deadLetter.Key is null ? null : Encoding.UTF8.GetBytes(deadLetter.Key), ContractJson.Serialize(deadLetter));
}
