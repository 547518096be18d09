using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Streams.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ReadApiTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private StreamsHost Host => fixture.Host;

    [Fact]
    public async Task Ten_thousand_GETs_of_random_unknown_ids_answer_404_and_leave_the_entity_count_unchanged()
    {
        var before = await SettledEntityCount();
        var random = new Random(13);
        string Unknown() => "ghost-" + random.Next().ToString("x");
        var paths = Enumerable.Range(0, 10_000).Select(i => (i % 7) switch
        {
            6 => $"/api/stream?municipality={Unknown()}",
            0 => $"/api/sensors/pegel/{Unknown()}",
            1 => $"/api/sensors/parking/{Unknown()}",
            2 => $"/api/sensors/bus/{Unknown()}",
            3 => $"/api/municipalities/{Unknown()}",
            4 => $"/api/municipalities/{Unknown()}/sensors",
            _ => $"/api/alerts?open=true&municipality={Unknown()}",
        }).ToList();

        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, ct) =>
        {
            using var response = await Host.Http.GetAsync(path, ct);
            statuses.Add(response.StatusCode);
        });

        await Task.Delay(TimeSpan.FromSeconds(1)); // an entity started by a GET would show up by now
        var after = await EntityCount();
        output.WriteLine($"entities before {before}, after 10,000 GETs of unknown ids {after}");
        Assert.Equal(before, after);
        Assert.Equal(10_000, statuses.Count(s => s == HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData("/api/sensors/river/g1", "kind must be pegel, parking or bus")]
    [InlineData("/api/sensors/municipality/05766044", "kind must be pegel, parking or bus")]
    [InlineData("/api/municipalities/05766044/sensors?kind=tram", "kind must be pegel, parking or bus")]
    [InlineData("/api/alerts?open=maybe", "open must be true or false")]
    [InlineData("/api/alerts?rule=pegel.stage9", "rule must be one of")]
    [InlineData("/api/alerts?limit=0", "limit must be 1 to 1000")]
    public async Task Bad_parameters_answer_400_with_a_message(string path, string message)
    {
        using var response = await Host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_gauge_answers_its_level_stage_lines_recent_readings_and_last_reading_time_from_its_entity()
    {
        await fixture.Town.Level(TestTown.LatencyGauge, 81.5);
        await Host.Eventually(async () =>
            (await Host.GetJson($"/api/sensors/pegel/{TestTown.LatencyGauge}")).GetProperty("pegel").GetProperty("levelCm").GetDouble() == 81.5,
            TimeSpan.FromSeconds(20), "the new level");

        var gauge = await Host.GetJson($"/api/sensors/pegel/{TestTown.LatencyGauge}");
        Assert.Equal("pegel/" + TestTown.LatencyGauge, gauge.GetProperty("subject").GetString());
        Assert.Equal(TestTown.Lemgo, gauge.GetProperty("municipality").GetString());
        Assert.Equal([5000.0], gauge.GetProperty("pegel").GetProperty("stagesCm").EnumerateArray().Select(e => e.GetDouble()));
        var recent = gauge.GetProperty("pegel").GetProperty("recentReadings").EnumerateArray().Select(r => r.GetProperty("levelCm").GetDouble()).ToList();
        Assert.Equal(81.5, recent[^1]);
        Assert.False(gauge.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.String, gauge.GetProperty("lastObservedAt").ValueKind);
    }

    [Fact]
    public async Task The_municipality_list_names_each_municipality_with_live_counts()
    {
        var list = (await Host.GetJson("/api/municipalities")).EnumerateArray().ToList();
        var lemgo = Assert.Single(list, m => m.GetProperty("id").GetString() == TestTown.Lemgo);
        Assert.Equal("Lemgo", lemgo.GetProperty("name").GetString());
        Assert.Equal(2, lemgo.GetProperty("live").GetProperty("facilities").GetInt32());
        Assert.Contains(list, m => m.GetProperty("id").GetString() == TestTown.Kaiserslautern);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_read_API_and_the_stream()
    {
        var paths = (await Host.GetJson("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/municipalities", "/api/municipalities/{ags}", "/api/municipalities/{ags}/sensors",
                     "/api/sensors/{kind}/{id}", "/api/alerts", "/api/stream" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} in /openapi/v1.json");
    }

    [Fact]
    public async Task The_stream_gives_every_event_an_id_and_sends_a_heartbeat_comment_when_quiet()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Host.Url), Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.GetAsync($"/api/stream?municipality={TestTown.Kaiserslautern}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        var lines = new List<string>();
        while (!lines.Contains(": heartbeat") && await reader.ReadLineAsync(cts.Token) is { } line) lines.Add(line);

        Assert.StartsWith("id: ", lines.SkipWhile(l => !l.StartsWith("id: ", StringComparison.Ordinal)).First());
        Assert.Contains("event: hello", lines);
        // Every event carries an id: each "event:" line follows an "id:" line.
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].StartsWith("event: ", StringComparison.Ordinal)) Assert.StartsWith("id: ", lines[i - 1]);
    }

    [Fact]
    public async Task A_record_on_the_alerts_topic_that_is_not_json_is_skipped_and_the_dashboard_feed_goes_on()
    {
        using var producer = new Confluent.Kafka.ProducerBuilder<string?, string>(
            new Confluent.Kafka.ProducerConfig { BootstrapServers = fixture.Kafka.Bootstrap }).Build();
        var probe = $"feed-probe-{Guid.NewGuid():N}";
        // Both on one partition (one key), the broken record first.
        await producer.ProduceAsync("streams.alerts", new() { Key = "pegel/feed-probe", Value = "{not json" });
        await producer.ProduceAsync("streams.alerts", new()
        {
            Key = "pegel/feed-probe",
            Value = JsonSerializer.Serialize(new
            {
                specversion = "1.0", id = probe, source = $"/streams/municipalities/{TestTown.Kaiserslautern}", type = "streams.alert.raised",
                subject = "pegel/feed-probe", time = "2026-11-25T10:15:00+01:00", datacontenttype = "application/json",
                data = new
                {
                    rule = "pegel.stage1", state = "raised", severity = "info", municipality = TestTown.Kaiserslautern, kind = "pegel",
                    sensorId = "feed-probe", value = 130.0, threshold = 120, episodeStartedAt = "2026-11-25T10:15:00+01:00",
                    message = "Pegel feed-probe reached stage 1: 130 cm ≥ 120 cm",
                },
            }),
        });

        await Host.Eventually(async () => (await Host.GetJson("/api/alerts/recent")).EnumerateArray().Any(a => a.GetProperty("id").GetString() == probe),
            TimeSpan.FromSeconds(20), "the alert after the broken record in /api/alerts/recent");
        Assert.Contains("Dashboard feed: skipped streams.alerts", Host.Tail(400));
    }

    private async Task<long> EntityCount() => (await Host.GetJson("/api/status")).GetProperty("entities").GetInt64();

    /// <summary>The count once the registered entities have all started (they are woken in the background).</summary>
    private async Task<long> SettledEntityCount()
    {
        var last = -1L;
        while (true)
        {
            var now = await EntityCount();
            if (now == last) return now;
            last = now;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
