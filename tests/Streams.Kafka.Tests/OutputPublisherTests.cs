using Confluent.Kafka;
using Streams.Actors.Entities;
using Streams.Actors.Kafka;
using Streams.Actors.Publishing;
using Streams.Contracts.Outputs;
using Xunit.Abstractions;
using static Streams.Kafka.Tests.Kafka;

namespace Streams.Kafka.Tests;

public sealed class OutputPublisherTests(KafkaFixture fixture, ITestOutputHelper output) : StreamTestKit(fixture, output)
{
    private const short ApiKeyProduce = 0;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60); // a loaded machine; the bug is a hang forever

    private OutputTopics NewTopics()
    {
        var topics = new OutputTopics(Unique("alerts"), Unique("aggregates"), Unique("dead"));
        foreach (var t in new[] { topics.Alerts, topics.Aggregates, topics.DeadLetter }) Fixture.Kafka.CreateTopic(t, 1);
        return topics;
    }

    [Fact]
    public async Task After_the_broker_rejects_a_record_as_over_message_max_bytes_the_next_publications_complete()
    {
        var topics = NewTopics();
        using var publisher = new KafkaOutputPublisher(new ProducerSettings(Bootstrap), topics, TimeSpan.FromSeconds(45));
        publisher.Start(Sys);
        await publisher.PublishAsync([new ProducerRecord(topics.Alerts, Bytes("k"), Bytes("warm-up"))]).WaitAsync(Generous);

        // The broker answers the next produce request with MESSAGE_TOO_LARGE: the delivery fails asynchronously, after
        // the stream already asked its source for the next publication (the read that used to be orphaned).
        Fixture.Kafka.PushRequestErrors(ApiKeyProduce, ErrorCode.MsgSizeTooLarge);
        await Assert.ThrowsAnyAsync<Exception>(() => publisher.PublishAsync([new ProducerRecord(topics.Alerts, Bytes("k"), Bytes("rejected"))]).WaitAsync(Generous));

        for (var i = 0; i < 5; i++)
            await publisher.PublishAsync([new ProducerRecord(topics.Alerts, Bytes("k"), Bytes($"after-{i}"))]).WaitAsync(Generous);

        Assert.True(publisher.Restarts >= 1, "the producer stream was restarted");
        Assert.Equal(["warm-up", "after-0", "after-1", "after-2", "after-3", "after-4"], ReadValues(topics.Alerts, 6));
    }

    [Fact]
    public async Task A_record_over_the_clients_message_max_bytes_fails_alone_and_the_next_publication_completes()
    {
        var topics = NewTopics();
        using var publisher = new KafkaOutputPublisher(new ProducerSettings(Bootstrap), topics, TimeSpan.FromSeconds(45));
        publisher.Start(Sys);

        var tooLarge = new ProducerRecord(topics.Alerts, Bytes("k"), new byte[2 * 1024 * 1024]); // message.max.bytes is 1 MB
        await Assert.ThrowsAnyAsync<Exception>(() => publisher.PublishAsync([tooLarge]).WaitAsync(Generous));
        await publisher.PublishAsync([new ProducerRecord(topics.Alerts, Bytes("k"), Bytes("after"))]).WaitAsync(Generous);

        Assert.Equal(["after"], ReadValues(topics.Alerts, 1));
    }

    [Fact]
    public async Task A_publication_that_is_not_acknowledged_in_time_fails_with_a_timeout_instead_of_hanging()
    {
        var topics = NewTopics();
        // Never started: nothing is ever produced, as with a stream that hangs.
        using var publisher = new KafkaOutputPublisher(new ProducerSettings(Bootstrap), topics, TimeSpan.FromMilliseconds(500));

        var publication = publisher.PublishAsync([new ProducerRecord(topics.Alerts, Bytes("k"), Bytes("v"))]);

        await Assert.ThrowsAsync<TimeoutException>(() => publication.WaitAsync(Generous));
    }

    [Fact]
    public async Task Typed_publications_get_the_contract_topic_key_and_headers()
    {
        var topics = NewTopics();
        using var publisher = new KafkaOutputPublisher(new ProducerSettings(Bootstrap), topics);
        publisher.Start(Sys);
        var dead = new DeadLetter("streams.pegel", 3, 1207, "4910010", DeadLetterReasons.NotJson, "e", "x", null, DateTimeOffset.UnixEpoch);

        await publisher.PublishDeadLetterAsync(dead).WaitAsync(Generous);

        var record = Assert.Single(ReadAll(Bootstrap, topics.DeadLetter, 1, settle: TimeSpan.FromMilliseconds(500)));
        Assert.Equal("4910010", Text(record.Message.Key));
        Assert.Contains("\"id\":\"streams.pegel/3/1207\"", Text(record.Message.Value), StringComparison.Ordinal);
    }

    private List<string> ReadValues(string topic, int expected) =>
        ReadAll(Bootstrap, topic, expected, settle: TimeSpan.FromMilliseconds(500)).Select(r => Text(r.Message.Value)).ToList();
}
