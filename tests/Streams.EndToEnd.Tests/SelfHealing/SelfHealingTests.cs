using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.SelfHealing;

/// <summary>
/// Failures of a stream heal by themselves: a readings stream that fails is started again from the committed offsets,
/// and bad input that only the registry can reveal, or that is huge, still becomes a dead letter.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SelfHealingTests(ITestOutputHelper output) : IDisposable
{
    private const string Lemgo = "05766044";
    private readonly TestKafka _kafka = new();
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-heal-" + Guid.NewGuid().ToString("N")[..8]);

    private IProducer<byte[]?, byte[]?> Producer() => new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = _kafka.Bootstrap, Acks = Acks.All, EnableIdempotence = true, MessageMaxBytes = 20 * 1024 * 1024,
    }).SetLogHandler((_, _) => { }).Build();

    private static async Task<TopicPartitionOffset> Send(IProducer<byte[]?, byte[]?> producer, string topic, string key, string value) =>
        await Send(producer, new TopicPartition(topic, Partition.Any), key, Encoding.UTF8.GetBytes(value));

    private static async Task<TopicPartitionOffset> Send(IProducer<byte[]?, byte[]?> producer, TopicPartition at, string key, byte[] value) =>
        (await producer.ProduceAsync(at, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value })).TopicPartitionOffset;

    private static async Task RegisterLemgo(IProducer<byte[]?, byte[]?> producer)
    {
        await Send(producer, "streams.registry", $"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo"}""");
        await Send(producer, "streams.registry", "pegel/g1", $$"""{"kind":"pegel","id":"g1","municipality":"{{Lemgo}}","stagesCm":[1000],"expectedIntervalSeconds":86400}""");
        await Send(producer, "streams.registry", "parking/p1", $$"""{"kind":"parking","id":"p1","municipality":"{{Lemgo}}","capacity":100,"expectedIntervalSeconds":86400}""");
    }

    private static string Pegel(string id, DateTimeOffset at, double level) =>
        $$"""{"stationId":"{{id}}","observedAt":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","levelCm":{{level}}}""";

    private List<JsonElement> DeadLetters() =>
        KafkaIo.ReadAll(_kafka.Bootstrap, "streams.deadletter", 4).Select(r => JsonDocument.Parse(r.Value).RootElement).ToList();

    private static async Task<DateTimeOffset?> LastObservedAt(HostProcess host, string kind, string id)
    {
        var state = (await host.GetJson($"/api/sensors/{kind}/{id}")).GetProperty("state");
        return state.ValueKind == JsonValueKind.Object && state.TryGetProperty("lastObservedAt", out var at) && at.ValueKind == JsonValueKind.String
            ? at.GetDateTimeOffset() : null;
    }

    [Fact]
    public async Task A_dead_letter_delivery_failing_in_a_broker_outage_restarts_the_readings_stream_and_later_readings_and_registry_entries_are_processed()
    {
        using var producer = Producer();
        await RegisterLemgo(producer);
        // The host's producer holds records for 2 s (the window to take the broker down under a dead letter) and gives
        // a delivery up after 5 s: a dead letter that cannot be written fails the readings stream.
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data"),
            "--Streams:Kafka:Properties:linger.ms=2000", "--Streams:Kafka:Properties:message.timeout.ms=5000",
            "--Streams:Kafka:Properties:session.timeout.ms=6000"));
        await host.WaitUntilReady(TimeSpan.FromSeconds(90));
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds());

        var bad = await Send(producer, "streams.pegel", "g1", "not json");
        await host.Eventually(async () => (await host.GetJson("/api/status")).GetProperty("deadLetters").TryGetProperty("not-json", out _),
            TimeSpan.FromSeconds(30), "the bad record rejected");
        _kafka.Cluster.SetBrokerDown(1);
        output.WriteLine("broker down while the dead letter waits in the producer");
        await Task.Delay(TimeSpan.FromSeconds(10)); // the host's producer gives the dead letter up after 5 s
        _kafka.Cluster.SetBrokerUp(1);
        output.WriteLine("broker up");

        await Send(producer, "streams.pegel", "g1", Pegel("g1", now, 120));
        await Send(producer, "streams.registry", "pegel/g2", $$"""{"kind":"pegel","id":"g2","municipality":"{{Lemgo}}","stagesCm":[1000],"expectedIntervalSeconds":86400}""");
        // Registry and readings are different topics: a reading may only follow its entry once the node has read it.
        await host.Eventually(async () => (await host.GetJson("/api/registry")).EnumerateArray().Any(e => e.GetProperty("id").GetString() == "g2"),
            TimeSpan.FromSeconds(60), "the new registry entry read");
        await Send(producer, "streams.pegel", "g2", Pegel("g2", now, 80));

        await host.Eventually(async () => await LastObservedAt(host, "pegel", "g1") == now && await LastObservedAt(host, "pegel", "g2") == now,
            TimeSpan.FromSeconds(120), "the reading of g1 and of the newly registered g2 applied after the restart");
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        Assert.True((await host.Http.GetAsync("/healthz/live")).IsSuccessStatusCode);
        var letters = DeadLetters();
        Assert.NotEmpty(letters);
        output.WriteLine(string.Join("\n", letters.Select(l => l.GetRawText())));
        Assert.All(letters, l => Assert.Equal($"streams.pegel/{bad.Partition.Value}/{bad.Offset.Value}", l.GetProperty("id").GetString()));
        Assert.True((await host.GetJson("/api/status")).GetProperty("streamRestarts").GetProperty("readings").GetInt64() >= 1);
        Assert.Contains(host.Output, l => l.Contains("The readings stream failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_5_MB_reading_is_a_too_large_dead_letter_and_a_parking_reading_above_the_registry_capacity_is_out_of_range()
    {
        using var producer = Producer();
        await RegisterLemgo(producer);
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data"), "--Streams:Shutdown:DrainSeconds=12"));
        await host.WaitUntilReady(TimeSpan.FromSeconds(90));
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds());
        // The configured drain budget reaches Akka's shutdown phase (its 5 s default would cut the drain short).
        Assert.Contains(host.Output, l => l.Contains("Drain budget 12 s; shutdown phase service-requests-done times out after 22 s", StringComparison.Ordinal));

        // Nothing follows it in its partition: the embedded broker keeps at most 5 MiB per partition, and the append
        // after a record that size drops the log up to and including the new record (librdkafka's mock, not the host).
        var big = Encoding.UTF8.GetBytes("{\"stationId\":\"g1\",\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
        var huge = await Send(producer, new TopicPartition("streams.pegel", 7), "g1", big);
        var overCapacity = await Send(producer, "streams.parking", "p1", $$"""{"facilityId":"p1","observedAt":"{{now:yyyy-MM-ddTHH:mm:ssZ}}","occupied":150}""");
        await Send(producer, "streams.parking", "p1", $$"""{"facilityId":"p1","observedAt":"{{now.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}}","occupied":60}""");

        List<JsonElement> letters = [];
        await host.Eventually(() =>
        {
            letters = DeadLetters();
            return Task.FromResult(letters.Count >= 2);
        }, TimeSpan.FromSeconds(60), "two dead letters");
        await host.Eventually(async () => await LastObservedAt(host, "parking", "p1") == now.AddMinutes(1), TimeSpan.FromSeconds(60), "the valid parking reading applied");

        var byId = letters.ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.Equal(2, letters.Count);
        var tooLarge = byId[$"streams.pegel/7/{huge.Offset.Value}"];
        Assert.Equal("too-large", tooLarge.GetProperty("reason").GetString());
        var outOfRange = byId[$"streams.parking/{overCapacity.Partition.Value}/{overCapacity.Offset.Value}"];
        Assert.Equal("out-of-range", outOfRange.GetProperty("reason").GetString());
        Assert.Contains("registry's capacity 100", outOfRange.GetProperty("error").GetString(), StringComparison.Ordinal);
        var sensor = await host.GetJson("/api/sensors/parking/p1");
        output.WriteLine(sensor.GetRawText());
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
