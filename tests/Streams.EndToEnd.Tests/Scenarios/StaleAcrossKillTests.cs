using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Scenarios;

/// <summary><c>sensor.stale</c> is raised by a wall-clock timer, not by a reading: it must survive crashes like any other alert.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StaleAcrossKillTests(ITestOutputHelper output) : IDisposable
{
    private const string Lemgo = "05766044";
    private const int IntervalSeconds = 5; // stale after 3 × 5 s of silence
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-stale-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    [Fact]
    public async Task A_car_park_that_goes_silent_across_two_kill_9s_raises_stale_exactly_once_with_the_contracts_time_and_leaves_the_sums()
    {
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
        [
            ($"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo"}"""),
            ("parking/silent", $$"""{"kind":"parking","id":"silent","municipality":"{{Lemgo}}","capacity":100,"expectedIntervalSeconds":{{IntervalSeconds}}}"""),
            ("parking/steady", $$"""{"kind":"parking","id":"steady","municipality":"{{Lemgo}}","capacity":100,"expectedIntervalSeconds":86400}"""),
        ]);
        var observedAt = new DateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var at = observedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var settings = _kafka.HostSettings(Path.Combine(_workDir, "data"));

        // 1: both readings applied and committed, then kill -9 before the silence reaches 9 s.
        var first = HostProcess.Start(_workDir, settings);
        await first.WaitUntilReady(TimeSpan.FromSeconds(60));
        Kcat.Produce(_kafka.Bootstrap, "streams.parking",
        [
            ("silent", $$"""{"facilityId":"silent","observedAt":"{{at}}","free":40}"""),
            ("steady", $$"""{"facilityId":"steady","observedAt":"{{at}}","free":60}"""),
        ]);
        await GroupProgress.WaitUntilCaughtUp(first, _kafka.Bootstrap, TimeSpan.FromSeconds(30));
        Assert.Empty(StaleAlerts());
        first.Kill();
        await first.WaitForExit(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();

        // 2: the restarted node raises stale by itself (no reading arrives), then is killed again right after.
        var second = HostProcess.Start(_workDir, settings);
        await second.Eventually(() => Task.FromResult(StaleAlerts().Count > 0), TimeSpan.FromSeconds(60), "sensor.stale raised after the restart");
        second.Kill();
        await second.WaitForExit(TimeSpan.FromSeconds(10));
        await second.DisposeAsync();

        // 3: the next node must not raise it again under another id, and counts the car park as stale. An aggregate
        // written by this node (seq above every earlier one) with the car park stale says its sensor recovered as stale,
        // and a stale sensor raises nothing more until a reading comes.
        var seqBefore = Aggregates().Max(a => a.GetProperty("seq").GetInt64());
        await using var third = HostProcess.Start(_workDir, settings);
        await third.WaitUntilReady(TimeSpan.FromSeconds(60));
        JsonElement parking = default;
        await third.Eventually(() =>
        {
            var latest = Aggregates().MaxBy(a => a.GetProperty("seq").GetInt64());
            parking = latest.GetProperty("parking");
            return Task.FromResult(latest.GetProperty("seq").GetInt64() > seqBefore && parking.GetProperty("stale").GetInt32() == 1);
        }, TimeSpan.FromSeconds(60), "an aggregate of the third node counts the silent car park as stale");

        var stale = StaleAlerts();
        foreach (var a in stale) output.WriteLine($"{a.Id} {a.State} time {a.Time:O} episode {a.EpisodeStartedAt:O}");
        output.WriteLine("latest parking aggregate: " + parking.GetRawText());
        Assert.Single(stale.Select(a => a.Id).Distinct());
        Assert.Single(stale.Select(a => a.Raw).Distinct());
        Assert.Equal("raised", stale[0].State);
        Assert.Equal(observedAt.AddSeconds(3 * IntervalSeconds), stale[0].Time);
        // A stale car park counts under stale and nowhere else: only the steady one's 100 places, 40 occupied, 60 free.
        Assert.Equal((2, 100L, 40L, 60L, 1),
            (parking.GetProperty("facilities").GetInt32(), parking.GetProperty("capacity").GetInt64(), parking.GetProperty("occupied").GetInt64(),
             parking.GetProperty("free").GetInt64(), parking.GetProperty("stale").GetInt32()));
    }

    private List<JsonElement> Aggregates() => Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates").Where(r => r.Key == Lemgo)
        .Select(r => JsonDocument.Parse(r.Value).RootElement).ToList();

    private List<Alert> StaleAlerts() => AlertStream.Read(_kafka.Bootstrap).Where(a => a.Rule == "sensor.stale").ToList();

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
