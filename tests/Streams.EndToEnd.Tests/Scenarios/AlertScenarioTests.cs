using System.Text.Json;

namespace Streams.EndToEnd.Tests.Scenarios;

/// <summary>
/// The contract's alert rules end to end: registry and readings written with kcat, the host as a real process,
/// alerts and aggregates read back from Kafka. Every expected transition below is worked out by hand from
/// CONTRACT.md (the comments show the arithmetic), never computed by the code under test.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AlertScenarioTests : IAsyncLifetime
{
    private const string Lemgo = "05766044";
    private const string Kaiserslautern = "07312000";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-scn-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();
    private readonly ScenarioClock _t = ScenarioClock.EightHoursAgo();
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        Kcat.EnsureInstalled();
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
        [
            ($"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo"}"""),
            ($"municipality/{Kaiserslautern}", $$"""{"kind":"municipality","id":"{{Kaiserslautern}}","name":"Kaiserslautern"}"""),
            ("pegel/wave", $$"""{"kind":"pegel","id":"wave","municipality":"{{Lemgo}}","name":"Lemgo","water":"Bega","stagesCm":[150,200,250],"hysteresisCm":10,"riseCmPerHour":20,"expectedIntervalSeconds":86400}"""),
            ("pegel/jump", $$"""{"kind":"pegel","id":"jump","municipality":"{{Lemgo}}","stagesCm":[150,200,250],"hysteresisCm":10,"expectedIntervalSeconds":86400}"""),
            ("parking/fill", $$"""{"kind":"parking","id":"fill","municipality":"{{Lemgo}}","name":"P1","capacity":100,"almostFullPercent":90,"clearPercent":85,"expectedIntervalSeconds":86400}"""),
            ("bus/late", $$"""{"kind":"bus","id":"late","municipality":"{{Lemgo}}","delayAlertSeconds":300,"delayClearSeconds":180,"expectedIntervalSeconds":86400}"""),
            ("pegel/silent", $$"""{"kind":"pegel","id":"silent","municipality":"{{Kaiserslautern}}","stagesCm":[150],"expectedIntervalSeconds":2}"""),
        ]);
        _host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data")));
        await _host.WaitUntilReady(TimeSpan.FromSeconds(60));
    }

    private void Pegel(string id, params (int Step, double Level)[] readings) =>
        Kcat.Produce(_kafka.Bootstrap, "streams.pegel",
            readings.Select(r => (id, (string?)$$"""{"stationId":"{{id}}","observedAt":"{{_t.Text(r.Step)}}","levelCm":{{r.Level}}}""")));

    private async Task<IReadOnlyList<Alert>> AlertsOf(string subject, int count)
    {
        IReadOnlyList<Alert> alerts = [];
        await _host.Eventually(() =>
        {
            alerts = AlertStream.Deduplicated(AlertStream.Read(_kafka.Bootstrap)).Of(subject);
            return Task.FromResult(alerts.Count >= count);
        }, TimeSpan.FromSeconds(30), $"{count} alerts for {subject}");
        // Nothing more may follow: once every reading is committed, every alert it caused is on Kafka (an offset is
        // committed only after the entity's alerts were acknowledged), so what is there now is all there is.
        await GroupProgress.WaitUntilCaughtUp(_host, _kafka.Bootstrap, TimeSpan.FromSeconds(30));
        return AlertStream.Deduplicated(AlertStream.Read(_kafka.Bootstrap)).Of(subject);
    }

    [Fact]
    public async Task A_flood_wave_climbs_through_stages_1_to_3_with_a_rapid_rise_and_falls_back_without_toggling_inside_the_hysteresis_bands()
    {
        // stages 150/200/250, hysteresis 10 → clear levels 140/190/240; riseCmPerHour 20 → clears below 10.
        // Rise at step k = level(k) − level of the earliest reading ≥ 60 min earlier (step k−4), once that is ≥ 30 min old.
        Pegel("wave",
            (0, 100), (1, 110),
            (2, 125),                       // rise 125−100 = 25 ≥ 20 (k0 is 30 min old) → rapid-rise raised
            (3, 150),                       // 150 ≥ 150 → stage1 raised
            (4, 175), (5, 205),             // 205 ≥ 200 → stage2 raised
            (6, 255),                       // stage3 raised
            (7, 262), (8, 248), (9, 252),   // 248 is inside [240,250): stage3 stays; 252: already open
            (10, 244),                      // rise 244−255 (k6) = −11 < 10 → rapid-rise cleared
            (11, 238),                      // 238 < 240 → stage3 cleared
            (12, 246),                      // < 250: no new stage3
            (13, 236), (14, 195), (15, 202),// 195 inside [190,200): stage2 stays
            (16, 188),                      // < 190 → stage2 cleared
            (17, 196), (18, 160), (19, 145), (20, 152),
            (21, 139),                      // < 140 → stage1 cleared
            (22, 146));

        var alerts = await AlertsOf("pegel/wave", 8);

        Assert.Equal(
        [
            ("pegel.rapid-rise", "raised", 25, 20, _t.At(2)),
            ("pegel.stage1", "raised", 150, 150, _t.At(3)),
            ("pegel.stage2", "raised", 205, 200, _t.At(5)),
            ("pegel.stage3", "raised", 255, 250, _t.At(6)),
            ("pegel.rapid-rise", "cleared", -11, 10, _t.At(10)),
            ("pegel.stage3", "cleared", 238, 240, _t.At(11)),
            ("pegel.stage2", "cleared", 188, 190, _t.At(16)),
            ("pegel.stage1", "cleared", 139, 140, _t.At(21)),
        ], alerts.Select(a => a.Shape));
        foreach (var episode in alerts.GroupBy(a => (a.Rule, a.EpisodeStartedAt)))
            Assert.Equal(["raised", "cleared"], episode.Select(a => a.State));
        var severities = alerts.Where(a => a.State == "raised").ToDictionary(a => a.Rule,
            a => JsonDocument.Parse(a.Raw).RootElement.GetProperty("data").GetProperty("severity").GetString());
        Assert.Equal("info", severities["pegel.stage1"]);
        Assert.Equal("warning", severities["pegel.stage2"]);
        Assert.Equal("critical", severities["pegel.stage3"]);
        Assert.Equal("warning", severities["pegel.rapid-rise"]);
    }

    [Fact]
    public async Task A_jump_from_below_stage_1_to_stage_3_raises_stages_1_2_3_in_order_and_a_fall_clears_the_highest_first()
    {
        Pegel("jump", (0, 100), (1, 260), (2, 120));

        var alerts = await AlertsOf("pegel/jump", 6);

        Assert.Equal(
        [
            ("pegel.stage1", "raised", 260, 150, _t.At(1)),
            ("pegel.stage2", "raised", 260, 200, _t.At(1)),
            ("pegel.stage3", "raised", 260, 250, _t.At(1)),
            ("pegel.stage3", "cleared", 120, 240, _t.At(2)),
            ("pegel.stage2", "cleared", 120, 190, _t.At(2)),
            ("pegel.stage1", "cleared", 120, 140, _t.At(2)),
        ], alerts.Select(a => a.Shape));
        var first = JsonDocument.Parse(alerts[0].Raw).RootElement;
        Assert.Equal("1.0", first.GetProperty("specversion").GetString());
        Assert.Equal($"/streams/municipalities/{Lemgo}", first.GetProperty("source").GetString());
        Assert.Equal("streams.alert.raised", first.GetProperty("type").GetString());
        Assert.Equal("application/json", first.GetProperty("datacontenttype").GetString());
        Assert.Equal(6, alerts.Select(a => a.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_car_park_filling_to_full_and_emptying_raises_almost_full_before_full_and_clears_full_first()
    {
        // capacity 100: almost-full at ≥ 90 % occupied, clear < 85 %; full at free ≤ 0, clear at free ≥ max(1, ⌈2 % of 100⌉) = 2.
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
            new (int Step, int Free)[] { (0, 50), (1, 11), (2, 10), (3, 0), (4, 1), (5, 2), (6, 14), (7, 16), (8, 0), (9, 50) }
                .Select(r => ("fill", (string?)$$"""{"facilityId":"fill","observedAt":"{{_t.Text(r.Step)}}","free":{{r.Free}}}""")));

        var alerts = await AlertsOf("parking/fill", 8);

        Assert.Equal(
        [
            ("parking.almost-full", "raised", 90, 90, _t.At(2)),    // 90 % ≥ 90
            ("parking.full", "raised", 0, 0, _t.At(3)),             // free 0 ≤ 0; free 1 at step 4 does not clear
            ("parking.full", "cleared", 2, 2, _t.At(5)),            // free 2 ≥ 2; 98 % keeps almost-full
            ("parking.almost-full", "cleared", 84, 85, _t.At(7)),   // 86 % stays, 84 % < 85 clears
            ("parking.almost-full", "raised", 100, 90, _t.At(8)),   // one reading: almost-full first ...
            ("parking.full", "raised", 0, 0, _t.At(8)),             // ... then full
            ("parking.full", "cleared", 50, 2, _t.At(9)),           // one reading: full cleared first ...
            ("parking.almost-full", "cleared", 50, 85, _t.At(9)),   // ... then almost-full
        ], alerts.Select(a => a.Shape));
    }

    [Fact]
    public async Task A_late_bus_is_delayed_until_its_delay_falls_to_the_clear_level_and_a_position_without_delay_changes_nothing()
    {
        Kcat.Produce(_kafka.Bootstrap, "streams.bus",
        [
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(0)}}","lat":52.03,"lon":8.9,"delaySeconds":100}"""),
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(1)}}","lat":52.03,"lon":8.9,"delaySeconds":300}"""),
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(2)}}","lat":52.03,"lon":8.9}"""),
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(3)}}","lat":52.03,"lon":8.9,"delaySeconds":200}"""),
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(4)}}","lat":52.03,"lon":8.9,"delaySeconds":180}"""),
            ("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(5)}}","lat":52.03,"lon":8.9,"delaySeconds":299}"""),
        ]);

        var alerts = await AlertsOf("bus/late", 2);

        Assert.Equal(
        [
            ("bus.delayed", "raised", 300, 300, _t.At(1)),
            ("bus.delayed", "cleared", 180, 180, _t.At(4)),   // 200 > 180 stays; 180 ≤ 180 clears; 299 < 300 raises nothing
        ], alerts.Select(a => a.Shape));
    }

    [Fact]
    public async Task A_gauge_that_goes_silent_raises_stale_after_three_intervals_of_wall_clock_and_its_next_reading_clears_it()
    {
        Pegel("silent", (8, 100));

        var raised = await AlertsOf("pegel/silent", 1);

        // expectedIntervalSeconds 2: raised after 6 s of silence, at time = last observedAt + 6 s.
        Assert.Equal(("sensor.stale", "raised"), (raised[0].Rule, raised[0].State));
        Assert.Equal(_t.At(8, 6), raised[0].Time);
        Assert.Equal(6, raised[0].Threshold);
        Assert.True(raised[0].Value >= 6, $"seconds since the last reading: {raised[0].Value}");

        Pegel("silent", (9, 101));
        var both = await AlertsOf("pegel/silent", 2);

        Assert.Equal(("sensor.stale", "cleared", 900, 6, _t.At(9)), both[1].Shape);   // 15 min between the readings
        Assert.Equal(raised[0].EpisodeStartedAt, both[1].EpisodeStartedAt);
    }

    [Fact]
    public async Task Once_input_stops_the_latest_aggregate_equals_what_the_latest_readings_imply_and_seq_only_increases()
    {
        Pegel("wave", (0, 100), (1, 160));                    // stage 1
        Pegel("jump", (0, 120), (1, 210));                    // stage 2
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
            [("fill", $$"""{"facilityId":"fill","observedAt":"{{_t.Text(1)}}","occupied":95}""")]);   // 95 % → almost-full
        Kcat.Produce(_kafka.Bootstrap, "streams.bus",
            [("late", $$"""{"vehicleId":"late","observedAt":"{{_t.Text(2)}}","lat":52.03,"lon":8.9,"delaySeconds":400}""")]);

        JsonElement latest = default;
        List<long> seqs = [];
        await _host.Eventually(() =>
        {
            var records = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates").Where(r => r.Key == Lemgo)
                .Select(r => JsonDocument.Parse(r.Value).RootElement).ToList();
            seqs = records.Select(r => r.GetProperty("seq").GetInt64()).ToList();
            if (records.Count == 0) return Task.FromResult(false);
            latest = records[^1];
            return Task.FromResult(latest.GetProperty("asOf").GetDateTimeOffset() == _t.At(2)
                                   && latest.GetProperty("openAlerts").GetInt32() == 5);
        }, TimeSpan.FromSeconds(30), "aggregate reflecting every reading");

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal("Lemgo", latest.GetProperty("name").GetString());
        var parking = latest.GetProperty("parking");
        Assert.Equal((1, 100, 95, 5, 95.0, 1, 0, 0), (parking.GetProperty("facilities").GetInt32(), parking.GetProperty("capacity").GetInt64(),
            parking.GetProperty("occupied").GetInt64(), parking.GetProperty("free").GetInt64(), parking.GetProperty("occupancyPercent").GetDouble(),
            parking.GetProperty("almostFull").GetInt32(), parking.GetProperty("full").GetInt32(), parking.GetProperty("stale").GetInt32()));
        var bus = latest.GetProperty("bus");
        Assert.Equal((1, 0, 1, 400.0, 400), (bus.GetProperty("vehicles").GetInt32(), bus.GetProperty("stale").GetInt32(),
            bus.GetProperty("delayed").GetInt32(), bus.GetProperty("meanDelaySeconds").GetDouble(), bus.GetProperty("maxDelaySeconds").GetInt32()));
        var pegel = latest.GetProperty("pegel");
        Assert.Equal(2, pegel.GetProperty("stations").GetInt32());
        Assert.Equal(2, pegel.GetProperty("maxStage").GetInt32());
        Assert.Equal([0, 1, 1, 0, 0], pegel.GetProperty("atStage").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0, pegel.GetProperty("rising").GetInt32());
        // open: wave stage1, jump stage1+stage2, fill almost-full, late delayed = 5
        Assert.Equal(5, latest.GetProperty("openAlerts").GetInt32());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
