using System.Text.Json;

namespace Streams.EndToEnd.Tests.Registry;

[Collection(EndToEndCollection.Name)]
public sealed class RegistryAndConvergenceTests : IAsyncLifetime
{
    private const string Lemgo = "05766044";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-reg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();
    private readonly string _at1 = DateTimeOffset.UtcNow.AddHours(-2).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
    private readonly string _at2 = DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

    public Task InitializeAsync()
    {
        Kcat.EnsureInstalled();
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
        [
            ($"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo"}"""),
            ("parking/p1", $$"""{"kind":"parking","id":"p1","municipality":"{{Lemgo}}","capacity":100,"expectedIntervalSeconds":86400}"""),
            ("parking/p2", $$"""{"kind":"parking","id":"p2","municipality":"{{Lemgo}}","capacity":300,"expectedIntervalSeconds":86400}"""),
        ]);
        return Task.CompletedTask;
    }

    private string[] Settings => _kafka.HostSettings(Path.Combine(_workDir, "data"));

    private IReadOnlyList<JsonElement> Aggregates() => Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates")
        .Where(r => r.Key == Lemgo).Select(r => JsonDocument.Parse(r.Value).RootElement).ToList();

    private static (int Facilities, long Capacity, long Free) Parking(JsonElement aggregate)
    {
        var p = aggregate.GetProperty("parking");
        return (p.GetProperty("facilities").GetInt32(), p.GetProperty("capacity").GetInt64(), p.GetProperty("free").GetInt64());
    }

    [Fact]
    public async Task A_tombstone_removes_a_sensor_from_its_municipality_and_its_next_reading_is_an_unknown_subject()
    {
        await using var host = HostProcess.Start(_workDir, Settings);
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
        [
            ("p1", $$"""{"facilityId":"p1","observedAt":"{{_at1}}","free":40}"""),
            ("p2", $$"""{"facilityId":"p2","observedAt":"{{_at1}}","free":100}"""),
        ]);
        await host.Eventually(() => Task.FromResult(Aggregates() is { Count: > 0 } a && Parking(a[^1]) == (2, 400, 140)),
            TimeSpan.FromSeconds(30), "both car parks counted");

        Kcat.Produce(_kafka.Bootstrap, "streams.registry", [("parking/p2", null)]);

        await host.Eventually(() => Task.FromResult(Parking(Aggregates()[^1]) == (1, 100, 40)),
            TimeSpan.FromSeconds(30), "only p1 counted after the tombstone");
        Kcat.Produce(_kafka.Bootstrap, "streams.parking", [("p2", $$"""{"facilityId":"p2","observedAt":"{{_at2}}","free":90}""")]);
        await host.Eventually(() => Task.FromResult(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.deadletter")
                .Any(r => r.Key == "p2" && JsonDocument.Parse(r.Value).RootElement.GetProperty("reason").GetString() == "unknown-subject")),
            TimeSpan.FromSeconds(30), "p2's reading dead-lettered as unknown-subject");
    }

    [Fact]
    public async Task A_registry_change_applies_from_the_next_reading()
    {
        await using var host = HostProcess.Start(_workDir, Settings);
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        Kcat.Produce(_kafka.Bootstrap, "streams.parking", [("p1", $$"""{"facilityId":"p1","observedAt":"{{_at1}}","occupied":80}""")]);
        await host.Eventually(() => Task.FromResult(Aggregates() is { Count: > 0 }), TimeSpan.FromSeconds(30), "first aggregate");

        // 80 % does not reach the default 90 %; after lowering the threshold to 75 % the next reading raises almost-full.
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
            [("parking/p1", $$"""{"kind":"parking","id":"p1","municipality":"{{Lemgo}}","capacity":100,"almostFullPercent":75,"clearPercent":70,"expectedIntervalSeconds":86400}""")]);
        await host.Eventually(async () => (await host.GetJson("/api/registry")).EnumerateArray()
                .Any(e => e.GetProperty("id").GetString() == "p1" && e.GetProperty("entry").GetProperty("almostFullPercent").GetDouble() == 75),
            TimeSpan.FromSeconds(30), "registry change seen");
        // The first reading is committed, so any alert it caused would be on Kafka by now.
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.alerts"), r => r.Key == "parking/p1");

        Kcat.Produce(_kafka.Bootstrap, "streams.parking", [("p1", $$"""{"facilityId":"p1","observedAt":"{{_at2}}","occupied":80}""")]);

        await host.Eventually(() => Task.FromResult(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.alerts")
                .Any(r => r.Key == "parking/p1" && r.Value.Contains("\"parking.almost-full\"") && r.Value.Contains("\"threshold\":75"))),
            TimeSpan.FromSeconds(30), "almost-full raised with the new threshold");
    }

    /// <remarks>
    /// Entry and reading travel on different topics, read by different consumers: the reading can be read first. A
    /// reading written after its entry must still find it (the pipeline waits, bounded, until the registry has been
    /// read past the reading's write time); only a subject still unknown then is an unknown-subject.
    /// </remarks>
    [Fact]
    public async Task Sensors_registered_and_reporting_in_the_same_breath_have_their_first_readings_applied_not_dead_lettered()
    {
        const int subjects = 200;
        await using var host = HostProcess.Start(_workDir, Settings);
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        var records = new List<Crash.ScenarioRecord>();
        for (var i = 0; i < subjects; i++)
        {
            records.Add(new("streams.registry", $"parking/new-{i}",
                $$"""{"kind":"parking","id":"new-{{i}}","municipality":"{{Lemgo}}","capacity":100,"expectedIntervalSeconds":86400}"""));
            records.Add(new("streams.parking", $"new-{i}", $$"""{"facilityId":"new-{{i}}","observedAt":"{{_at1}}","free":40}"""));
        }
        // And one that is never registered: still an unknown-subject, after the bounded wait.
        records.Add(new("streams.parking", "never-registered", $$"""{"facilityId":"never-registered","observedAt":"{{_at1}}","free":1}"""));
        Crash.KafkaIo.Produce(_kafka.Bootstrap, records);

        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(60));
        var unknown = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.deadletter")
            .Where(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("reason").GetString() == "unknown-subject")
            .Select(r => r.Key).ToList();
        Assert.Equal(["never-registered"], unknown);
        Assert.Equal(subjects, (await host.GetJson("/api/status")).GetProperty("applied").GetInt64());
    }

    [Fact]
    public async Task A_restarted_municipality_writes_the_right_aggregate_again_without_new_readings_and_seq_keeps_increasing()
    {
        var first = HostProcess.Start(_workDir, Settings);
        await first.WaitUntilReady(TimeSpan.FromSeconds(60));
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
        [
            ("p1", $$"""{"facilityId":"p1","observedAt":"{{_at1}}","free":40}"""),
            ("p2", $$"""{"facilityId":"p2","observedAt":"{{_at1}}","free":100}"""),
        ]);
        await first.Eventually(() => Task.FromResult(Aggregates() is { Count: > 0 } a && Parking(a[^1]) == (2, 400, 140)),
            TimeSpan.FromSeconds(30), "aggregate before the crash");
        first.Kill();
        await first.WaitForExit(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        var before = Aggregates();

        await using var second = HostProcess.Start(_workDir, Settings);
        await second.WaitUntilReady(TimeSpan.FromSeconds(60));

        await second.Eventually(() => Task.FromResult(Aggregates().Count > before.Count), TimeSpan.FromSeconds(30),
            "a new aggregate after the restart, with no new reading");
        var after = Aggregates();
        Assert.Equal((2, 400, 140), Parking(after[^1]));
        var seqs = after.Select(a => a.GetProperty("seq").GetInt64()).ToList();
        Assert.True(seqs.Zip(seqs.Skip(1), (a, b) => b > a).All(increasing => increasing), "seq: " + string.Join(",", seqs));
    }

    public Task DisposeAsync()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
