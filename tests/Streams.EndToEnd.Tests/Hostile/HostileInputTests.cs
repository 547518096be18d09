using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Hostile;

/// <summary>
/// The checked-in corpus of hostile records (Hostile/hostile-corpus.jsonl): each one must become exactly one dead
/// letter with the expected reason, the good record sent after each must be processed, and the host must neither
/// crash nor grow without bound.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-hostile-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-3);

    private sealed record CorpusRecord(string Topic, string Key, string Reason, string Why, byte[]? Value);

    private static List<CorpusRecord> Corpus()
    {
        var past = Start.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        return File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Hostile", "hostile-corpus.jsonl"))
            .Where(l => l.Length > 0)
            .Select(line =>
            {
                var e = JsonDocument.Parse(line).RootElement;
                byte[]? value =
                    e.TryGetProperty("null", out _) ? null
                    : e.TryGetProperty("valueBase64", out var b) ? Convert.FromBase64String(b.GetString()!)
                    : e.TryGetProperty("generate", out var g) ? Generate(g.GetString()!)
                    : Encoding.UTF8.GetBytes(e.GetProperty("value").GetString()!.Replace("{past}", past).Replace("{future}", future));
                return new CorpusRecord(e.GetProperty("topic").GetString()!, e.GetProperty("key").GetString()!,
                    e.GetProperty("reason").GetString()!, e.GetProperty("why").GetString()!, value);
            })
            .ToList();
    }

    private static byte[] Generate(string what) => what switch
    {
        "nested" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000)),
        "2mb" => Encoding.UTF8.GetBytes("{\"stationId\":\"g1\",\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"),
        "70kb" => Encoding.UTF8.GetBytes("{\"stationId\":\"g1\",\"observedAt\":\"2026-01-01T00:00:00Z\",\"levelCm\":1,\"pad\":\"" + new string('x', 70 * 1024) + "\"}"),
        _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
    };

    private static (string Key, string Value) Good(string topic, int i)
    {
        var at = Start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        return topic switch
        {
            "streams.pegel" => ("g1", $$"""{"stationId":"g1","observedAt":"{{at}}","levelCm":{{100 + i}}}"""),
            "streams.parking" => ("p1", $$"""{"facilityId":"p1","observedAt":"{{at}}","free":{{i % 100}}}"""),
            "streams.bus" => ("b1", $$"""{"vehicleId":"b1","observedAt":"{{at}}","lat":52.03,"lon":8.9,"delaySeconds":{{i}}}"""),
            _ => ($"pegel/ok{i}", $$"""{"kind":"pegel","id":"ok{{i}}","municipality":"05766044","stagesCm":[150]}"""),
        };
    }

    [Fact]
    public async Task Every_hostile_record_becomes_exactly_one_dead_letter_with_its_reason_and_the_good_records_between_them_are_all_processed()
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = _kafka.Bootstrap, Acks = Acks.All, EnableIdempotence = true, MessageMaxBytes = 20 * 1024 * 1024,
        }).Build();
        async Task<TopicPartitionOffset> Send(string topic, string key, byte[]? value) =>
            (await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value })).TopicPartitionOffset;

        await Send("streams.registry", "municipality/05766044", Encoding.UTF8.GetBytes("""{"kind":"municipality","id":"05766044","name":"Lemgo"}"""));
        await Send("streams.registry", "pegel/g1", Encoding.UTF8.GetBytes("""{"kind":"pegel","id":"g1","municipality":"05766044","stagesCm":[1000],"expectedIntervalSeconds":86400}"""));
        await Send("streams.registry", "parking/p1", Encoding.UTF8.GetBytes("""{"kind":"parking","id":"p1","municipality":"05766044","capacity":100,"expectedIntervalSeconds":86400}"""));
        await Send("streams.registry", "bus/b1", Encoding.UTF8.GetBytes("""{"kind":"bus","id":"b1","municipality":"05766044","expectedIntervalSeconds":86400}"""));
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data")));
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));

        var corpus = Corpus();
        var expected = new Dictionary<(string, int, long), CorpusRecord>();
        var lastGood = new Dictionary<string, (string Key, string Value)>();
        var goodReadings = 0;
        for (var i = 0; i < corpus.Count; i++)
        {
            var hostile = corpus[i];
            var at = await Send(hostile.Topic, hostile.Key, hostile.Value);
            expected[(at.Topic, at.Partition.Value, at.Offset.Value)] = hostile;
            var good = Good(hostile.Topic, i);
            await Send(hostile.Topic, good.Key, Encoding.UTF8.GetBytes(good.Value));
            lastGood[hostile.Topic] = good;
            if (hostile.Topic != "streams.registry") goodReadings++;
        }

        List<JsonElement> deadLetters = [];
        await host.Eventually(() =>
        {
            deadLetters = ReadAll("streams.deadletter").Select(v => JsonDocument.Parse(v).RootElement).ToList();
            return Task.FromResult(deadLetters.Count >= corpus.Count);
        }, TimeSpan.FromSeconds(60), $"{corpus.Count} dead letters");
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(60));
        await Task.Delay(1000);
        deadLetters = ReadAll("streams.deadletter").Select(v => JsonDocument.Parse(v).RootElement).ToList();

        var byOrigin = deadLetters.GroupBy(d => (d.GetProperty("sourceTopic").GetString()!, d.GetProperty("partition").GetInt32(), d.GetProperty("offset").GetInt64()))
            .ToDictionary(g => g.Key, g => g.ToList());
        var wrong = new List<string>();
        foreach (var (origin, record) in expected)
        {
            var letters = byOrigin.GetValueOrDefault(origin) ?? [];
            var reasons = string.Join(",", letters.Select(l => l.GetProperty("reason").GetString()));
            output.WriteLine($"{record.Topic,-17} {record.Reason,-17} {(letters.Count == 1 && reasons == record.Reason ? "ok " : "BAD")} {record.Why}"
                             + (letters.Count == 1 ? $"  ({letters[0].GetProperty("error").GetString()})" : $"  got [{reasons}]"));
            if (letters.Count != 1 || reasons != record.Reason) wrong.Add($"{record.Why}: expected {record.Reason}, got [{reasons}]");
        }
        Assert.Empty(wrong);
        Assert.Equal(expected.Count, deadLetters.Count);            // nothing else was rejected: the good records were not

        var status = await host.GetJson("/api/status");
        Assert.Equal(goodReadings, status.GetProperty("applied").GetInt64());
        foreach (var (topic, kind) in new[] { ("streams.pegel", "pegel"), ("streams.parking", "parking"), ("streams.bus", "bus") })
        {
            var good = JsonDocument.Parse(lastGood[topic].Value).RootElement.GetProperty("observedAt").GetDateTimeOffset();
            var state = await host.GetJson($"/api/sensors/{kind}/{lastGood[topic].Key}");
            Assert.Equal(good, state.GetProperty("state").GetProperty("lastObservedAt").GetDateTimeOffset());
        }
        var registry = await host.GetJson("/api/registry");
        Assert.Contains(registry.EnumerateArray(), e => e.GetProperty("id").GetString() == $"ok{corpus.FindLastIndex(c => c.Topic == "streams.registry")}");

        var rssMb = ResidentMegabytes(host.Pid);
        output.WriteLine($"{corpus.Count} hostile records, {goodReadings} good readings applied, host RSS {rssMb} MB");
        Assert.True(rssMb < 700, $"host resident memory {rssMb} MB");
    }

    private IReadOnlyList<string> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, string>(new ConsumerConfig
        {
            BootstrapServers = _kafka.Bootstrap, GroupId = "hostile-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false, EnablePartitionEof = true,
        }).Build();
        var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var values = new List<string>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (atEnd.Count < partitions.Count && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null) continue;
            if (r.IsPartitionEOF) { atEnd.Add(r.Partition.Value); continue; }
            values.Add(r.Message.Value);
        }
        return values;
    }

    private static long ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
