using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.DatabaseFaults;

[Collection(EndToEndCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-dbfault-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    [Fact]
    public async Task With_PostgreSQL_down_for_20_seconds_offsets_stop_advancing_and_every_reading_is_applied_once_it_is_back()
    {
        Assert.True(OwnPostgres.Available, "needs PostgreSQL installed and root (bash .ci/run)");
        using var db = new OwnPostgres();
        const int Gauges = 20, Steps = 30;
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-2);
        Kcat.Produce(_kafka.Bootstrap, "streams.registry", Enumerable.Range(0, Gauges).Select(i =>
            ($"pegel/g{i}", (string?)$$"""{"kind":"pegel","id":"g{{i}}","municipality":"05766044","stagesCm":[150,200],"expectedIntervalSeconds":86400}""")));
        string At(int step) => start.AddMinutes(step).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        void Produce(int from, int to) => Kcat.Produce(_kafka.Bootstrap, "streams.pegel",
            Enumerable.Range(from, to - from).SelectMany(step => Enumerable.Range(0, Gauges).Select(i =>
                ($"g{i}", (string?)$$"""{"stationId":"g{{i}}","observedAt":"{{At(step)}}","levelCm":{{(step % 10 < 5 ? 120 : 210)}}}"""))));

        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data"),
            ["--Streams:Persistence:Provider=PostgreSql", $"--Streams:Persistence:ConnectionString={db.ConnectionString}"]));
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(0, 10);
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(60));

        db.Stop();
        var downAt = System.Diagnostics.Stopwatch.StartNew();
        Produce(10, 20);
        var unmet = "";
        await host.Eventually(async () =>
        {
            using var response = await host.Http.GetAsync("/healthz/ready");
            unmet = await response.Content.ReadAsStringAsync();
            return !response.IsSuccessStatusCode && unmet.Contains("persistence", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "not ready because the journal fails");
        output.WriteLine($"not ready {downAt.Elapsed.TotalSeconds:0.0} s after the database stopped: {unmet}");
        await Task.Delay(TimeSpan.FromSeconds(20) - downAt.Elapsed);
        var caughtUpWhileDown = GroupProgress.CaughtUp(_kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);
        Assert.False(host.HasExited, "the host survives the outage\n" + host.Tail());
        db.Start();
        var sinceBack = System.Diagnostics.Stopwatch.StartNew();
        Produce(20, Steps);
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(120));
        output.WriteLine($"caught up {sinceBack.Elapsed.TotalSeconds:0.0} s after the database was back");
        await host.WaitUntilReady(TimeSpan.FromSeconds(30));
        output.WriteLine($"ready again {sinceBack.Elapsed.TotalSeconds:0.0} s after the database was back");

        output.WriteLine($"committed everything while the database was down: {caughtUpWhileDown}");
        Assert.False(caughtUpWhileDown, "offsets must not run ahead of what is stored");
        for (var i = 0; i < Gauges; i++)
        {
            var state = await host.GetJson($"/api/sensors/pegel/g{i}");
            Assert.Equal(start.AddMinutes(Steps - 1), state.GetProperty("state").GetProperty("lastObservedAt").GetDateTimeOffset());
        }
        // Every gauge went 120 → 210 → 120 → 210 → 120 → 210 (steps 0-4, 5-9, ... 25-29), stages at 150 and 200:
        // both stages raised at 5, 15, 25 and cleared at 10, 20, in this order, with none missing or extra.
        const string Expected = "stage1:r@5 stage2:r@5 stage2:c@10 stage1:c@10 stage1:r@15 stage2:r@15 stage2:c@20 stage1:c@20 stage1:r@25 stage2:r@25";
        var alerts = Scenarios.AlertStream.Deduplicated(Scenarios.AlertStream.Read(_kafka.Bootstrap));
        var bySubject = alerts.GroupBy(a => a.Subject).ToDictionary(g => g.Key,
            g => string.Join(" ", g.Select(a => $"{a.Rule[6..]}:{a.State[0]}@{(a.Time - start).TotalMinutes:0}")));
        foreach (var (subject, line) in bySubject.OrderBy(p => p.Key)) output.WriteLine($"{subject}: {line}");
        Assert.All(Enumerable.Range(0, Gauges), i => Assert.Equal(Expected, bySubject.GetValueOrDefault($"pegel/g{i}")));
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
