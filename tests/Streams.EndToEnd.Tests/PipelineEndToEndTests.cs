using System.Text.Json;

namespace Streams.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class PipelineEndToEndTests : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    public PipelineEndToEndTests() => Kcat.EnsureInstalled();

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private string Now(int minutesAgo) =>
        _now.AddMinutes(-minutesAgo).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

    [Fact]
    public async Task Records_written_with_kcat_reach_their_entities_raise_exactly_the_expected_alerts_and_bad_ones_come_back_as_dead_letters_with_the_right_reason()
    {
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
        [
            ("municipality/05766044", """{"kind":"municipality","id":"05766044","name":"Lemgo"}"""),
            ("pegel/4910010", """{"kind":"pegel","id":"4910010","municipality":"05766044","name":"Lemgo","water":"Bega","stagesCm":[150,200,250],"hysteresisCm":10}"""),
            ("parking/lemgo-p1", """{"kind":"parking","id":"lemgo-p1","municipality":"05766044","name":"P1","capacity":220}"""),
            ("bus/lip-bus-17", """{"kind":"bus","id":"lip-bus-17","municipality":"05766044"}"""),
            ("pegel/broken", """{"kind":"pegel","id":"broken","municipality":"05766044","stagesCm":[200,150]}"""),
        ]);
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data")));
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));

        Kcat.Produce(_kafka.Bootstrap, "streams.pegel",
        [
            ("4910010", $$"""{"stationId":"4910010","observedAt":"{{Now(20)}}","levelCm":120.0}"""),
            ("4910010", $$"""{"stationId":"4910010","observedAt":"{{Now(10)}}","levelCm":210.0}"""),
            ("4910010", """{"stationId":"4910010","observedAt":"""),
            ("4910010", $$"""{"stationId":"4910010","observedAt":"{{Now(5)}}","levelCm":"abc"}"""),
            ("4910010", $$"""{"stationId":"4910010","levelCm":100}"""),
            ("4910010", $$"""{"stationId":"4910010","observedAt":"{{Now(-60)}}","levelCm":100}"""),
            ("nowhere", $$"""{"stationId":"nowhere","observedAt":"{{Now(5)}}","levelCm":100}"""),
        ]);
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
        [
            ("lemgo-p1", $$"""{"facilityId":"lemgo-p1","observedAt":"{{Now(3)}}","free":12}"""),
            ("lemgo-p1", $$"""{"facilityId":"lemgo-p1","observedAt":"{{Now(2)}}","free":-3}"""),
            ("lemgo-p1", "{\"facilityId\":\"lemgo-p1\",\"observedAt\":\"" + Now(1) + "\",\"free\":1,\"pad\":\"" + new string('x', 70_000) + "\"}"),
        ]);
        Kcat.Produce(_kafka.Bootstrap, "streams.bus",
        [
            ("lip-bus-17", $$"""{"vehicleId":"lip-bus-17","observedAt":"{{Now(1)}}","lat":52.03,"lon":8.9,"delaySeconds":400}"""),
            ("lip-bus-17", $$"""{"vehicleId":"lip-bus-17","observedAt":"{{Now(0)}}","lat":95.0,"lon":8.9}"""),
        ]);

        await host.Eventually(async () =>
            (await host.GetJson("/api/sensors/pegel/4910010")).GetProperty("state").GetProperty("lastObservedAt").ValueKind != JsonValueKind.Null
            && (await host.GetJson("/api/sensors/parking/lemgo-p1")).GetProperty("state").GetProperty("lastObservedAt").ValueKind != JsonValueKind.Null
            && (await host.GetJson("/api/sensors/bus/lip-bus-17")).GetProperty("state").GetProperty("lastObservedAt").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(30), "readings applied by their entities");

        var expected = new (string Key, string Reason)[]
        {
            ("pegel/broken", "invalid-field"),
            ("4910010", "not-json"),
            ("4910010", "invalid-field"),
            ("4910010", "missing-field"),
            ("4910010", "future-timestamp"),
            ("nowhere", "unknown-subject"),
            ("lemgo-p1", "out-of-range"),
            ("lemgo-p1", "too-large"),
            ("lip-bus-17", "out-of-range"),
        };
        IReadOnlyList<(string Key, string Reason)> deadLetters = [];
        await host.Eventually(() =>
        {
            deadLetters = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.deadletter")
                .Select(r => (r.Key, JsonDocument.Parse(r.Value).RootElement.GetProperty("reason").GetString()!)).ToList();
            return Task.FromResult(deadLetters.Count >= expected.Length);
        }, TimeSpan.FromSeconds(30), "dead letters");
        Assert.Equal(expected.OrderBy(e => e.Key).ThenBy(e => e.Reason), deadLetters.OrderBy(e => e.Key).ThenBy(e => e.Reason));

        // Every reading committed means every alert it caused is acknowledged by Kafka: what is on the topic now is all of it.
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(30));
        var alerts = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.alerts")
            .Select(r => JsonDocument.Parse(r.Value).RootElement)
            .Select(a => (Id: a.GetProperty("id").GetString()!, Key: a.GetProperty("subject").GetString()!,
                Rule: a.GetProperty("data").GetProperty("rule").GetString()!, State: a.GetProperty("data").GetProperty("state").GetString()!,
                Time: a.GetProperty("time").GetDateTimeOffset()))
            .DistinctBy(a => a.Id)
            .OrderBy(a => a.Key, StringComparer.Ordinal).ThenBy(a => a.Rule, StringComparer.Ordinal)
            .Select(a => (a.Key, a.Rule, a.State, a.Time))
            .ToList();
        // 210 cm reaches stages 1 and 2 (150, 200); 208 of 220 occupied is 94.5 % ≥ 90 %, not full; a delay of 400 s ≥ 300 s.
        (string, string, string, DateTimeOffset)[] expectedAlerts =
        [
            ("bus/lip-bus-17", "bus.delayed", "raised", At(Now(1))),
            ("parking/lemgo-p1", "parking.almost-full", "raised", At(Now(3))),
            ("pegel/4910010", "pegel.stage1", "raised", At(Now(10))),
            ("pegel/4910010", "pegel.stage2", "raised", At(Now(10))),
        ];
        Assert.Equal(expectedAlerts, alerts);
    }

    private static DateTimeOffset At(string rfc3339) => DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
