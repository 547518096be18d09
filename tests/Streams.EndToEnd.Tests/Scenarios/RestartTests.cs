using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Scenarios;

/// <summary>
/// A crash or a stop in the middle of a scenario must not change what alerting systems see: after deduplicating by
/// id, the alert stream of an interrupted run equals the one of an uninterrupted run — same ids, same content, same
/// order per subject.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output) : IDisposable
{
    private const string Lemgo = "05766044";
    private readonly List<string> _dirs = [];
    private readonly DateTimeOffset _start = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-3).Date, TimeSpan.Zero)
        .AddHours(DateTimeOffset.UtcNow.AddHours(-3).Hour).ToOffset(TimeSpan.FromHours(1));

    private static readonly (string Key, string? Value)[] Registry =
    [
        .. Enumerable.Range(0, 10).Select(i => ($"pegel/g{i}", (string?)$$"""{"kind":"pegel","id":"g{{i}}","municipality":"{{Lemgo}}","stagesCm":[150,200,250],"hysteresisCm":10,"riseCmPerHour":30,"expectedIntervalSeconds":86400}""")),
        .. Enumerable.Range(0, 6).Select(i => ($"parking/p{i}", (string?)$$"""{"kind":"parking","id":"p{{i}}","municipality":"{{Lemgo}}","capacity":200,"expectedIntervalSeconds":86400}""")),
        .. Enumerable.Range(0, 6).Select(i => ($"bus/b{i}", (string?)$$"""{"kind":"bus","id":"b{{i}}","municipality":"{{Lemgo}}","expectedIntervalSeconds":86400}""")),
        ($"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo"}"""),
    ];

    /// <summary>60 readings per subject, one a minute; values swing across every threshold a few times.</summary>
    private (string Topic, string Key, string Value)[] Readings(int fromStep, int toStep)
    {
        var list = new List<(string, string, string)>();
        for (var step = fromStep; step < toStep; step++)
        {
            var at = _start.AddMinutes(step).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
            for (var i = 0; i < 10; i++)
            {
                var level = Math.Round(150 + 120 * Math.Sin((step + 3 * i) / 9.0), 1);
                list.Add(("streams.pegel", $"g{i}", $$"""{"stationId":"g{{i}}","observedAt":"{{at}}","levelCm":{{level}}}"""));
            }
            for (var i = 0; i < 6; i++)
            {
                var free = Math.Clamp((int)Math.Round(60 + 70 * Math.Sin((step + 5 * i) / 6.0)), 0, 200);
                list.Add(("streams.parking", $"p{i}", $$"""{"facilityId":"p{{i}}","observedAt":"{{at}}","free":{{free}}}"""));
            }
            for (var i = 0; i < 6; i++)
            {
                var delay = (int)Math.Round(240 + 150 * Math.Sin((step + 7 * i) / 5.0));
                list.Add(("streams.bus", $"b{i}", $$"""{"vehicleId":"b{{i}}","observedAt":"{{at}}","lat":52.03,"lon":8.9,"delaySeconds":{{delay}}}"""));
            }
        }
        return [.. list];
    }

    private static void Produce(TestKafka kafka, IEnumerable<(string Topic, string Key, string Value)> readings)
    {
        foreach (var topic in readings.GroupBy(r => r.Topic))
            Kcat.Produce(kafka.Bootstrap, topic.Key, topic.Select(r => (r.Key, (string?)r.Value)));
    }

    private string NewDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streams-restart-" + Guid.NewGuid().ToString("N")[..8]);
        _dirs.Add(dir);
        return dir;
    }

    private async Task<IReadOnlyList<Alert>> UninterruptedRun()
    {
        using var kafka = new TestKafka();
        Kcat.Produce(kafka.Bootstrap, "streams.registry", Registry);
        Produce(kafka, Readings(0, 60));
        var dir = NewDir();
        await using var host = HostProcess.Start(dir, kafka.HostSettings(Path.Combine(dir, "data")));
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        await GroupProgress.WaitUntilCaughtUp(host, kafka.Bootstrap, TimeSpan.FromSeconds(60));
        return AlertStream.Read(kafka.Bootstrap);
    }

    [Fact]
    public Task On_SQLite_after_a_kill_9_and_a_graceful_stop_mid_scenario_the_deduplicated_alert_stream_equals_an_uninterrupted_run() =>
        InterruptedRunEqualsUninterrupted([]);

    [PostgresFact]
    public Task On_PostgreSQL_after_a_kill_9_and_a_graceful_stop_mid_scenario_the_deduplicated_alert_stream_equals_an_uninterrupted_run() =>
        InterruptedRunEqualsUninterrupted(["--Streams:Persistence:Provider=PostgreSql", $"--Streams:Persistence:ConnectionString={Postgres.CreateDatabase()}"]);

    /// <summary>The reference runs on SQLite: ids and content must not depend on the store either.</summary>
    private async Task InterruptedRunEqualsUninterrupted(string[] persistence)
    {
        var reference = await UninterruptedRun();

        using var kafka = new TestKafka();
        Kcat.Produce(kafka.Bootstrap, "streams.registry", Registry);
        var dir = NewDir();
        var settings = kafka.HostSettings(Path.Combine(dir, "data"), persistence);

        // The first host commits only after a minute: however fast it applies the chunk, the kill lands on readings that
        // are applied but not committed, which is the window this test is about.
        var first = HostProcess.Start(dir, [.. settings, "--Streams:Pipeline:CommitIntervalMs=60000", "--Streams:Pipeline:CommitBatch=1000000"]);
        await first.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(kafka, Readings(0, 20));
        await first.Eventually(async () => (await first.GetJson("/api/status")).GetProperty("applied").GetInt64() > 100,
            TimeSpan.FromSeconds(30), "some readings applied");
        first.Kill();                                                   // kill -9 mid-chunk
        await first.WaitForExit(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        // A dead host commits nothing more: this is what the kill interrupted.
        var uncommittedAtKill = KafkaIo.Uncommitted(kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);
        output.WriteLine($"kill -9 with {uncommittedAtKill} of {Readings(0, 20).Length} readings not committed");
        Assert.True(uncommittedAtKill > 0, "the kill -9 must land while readings are not committed yet");

        var second = HostProcess.Start(dir, settings);
        await second.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(kafka, Readings(20, 40));
        await second.Eventually(async () => (await second.GetJson("/api/status")).GetProperty("applied").GetInt64() > 50,
            TimeSpan.FromSeconds(30), "some readings applied");
        second.SendSigterm();                                           // graceful, mid-chunk
        Assert.True(await second.WaitForExit(TimeSpan.FromSeconds(40)), "second host stopped on SIGTERM\n" + second.Tail());
        Assert.Equal(0, second.ExitCode);
        await second.DisposeAsync();

        await using var third = HostProcess.Start(dir, settings);
        await third.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(kafka, Readings(40, 60));
        await GroupProgress.WaitUntilCaughtUp(third, kafka.Bootstrap, TimeSpan.FromSeconds(90));

        var interrupted = AlertStream.Read(kafka.Bootstrap);
        var expected = AlertStream.Deduplicated(reference);
        var actual = AlertStream.Deduplicated(interrupted);
        var conflicts = interrupted.GroupBy(a => a.Id).Count(g => g.Select(a => a.Raw).Distinct().Count() > 1);
        output.WriteLine($"uninterrupted: {reference.Count} alert records, {expected.Count} distinct; interrupted: {interrupted.Count} records, "
                         + $"{actual.Count} distinct, {interrupted.Count - actual.Count} duplicates by id, {conflicts} conflicts");
        foreach (var rule in expected.GroupBy(a => a.Rule).OrderBy(g => g.Key))
            output.WriteLine($"  {rule.Key}: {rule.Count(a => a.State == "raised")} raised, {rule.Count(a => a.State == "cleared")} cleared");

        Assert.True(expected.Count > 50, $"the scenario raises alerts ({expected.Count})");
        Assert.Equal(0, conflicts);
        Assert.Equal(expected.Select(a => a.Id).Order(), actual.Select(a => a.Id).Order());
        var byId = actual.ToDictionary(a => a.Id, a => a.Raw);
        Assert.All(expected, e => Assert.Equal(e.Raw, byId[e.Id]));
        foreach (var subject in expected.Select(a => a.Subject).Distinct())
            Assert.Equal(expected.Of(subject).Select(a => a.Id), actual.Of(subject).Select(a => a.Id));
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
