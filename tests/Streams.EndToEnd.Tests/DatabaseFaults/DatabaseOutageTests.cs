using System.Diagnostics;
using Npgsql;
using Streams.EndToEnd.Tests.Crash;
using Streams.EndToEnd.Tests.Scenarios;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.DatabaseFaults;

[Collection(EndToEndCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IDisposable
{
    private const int Gauges = 20, Steps = 30;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-dbfault-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    /// <remarks>
    /// The host is killed (SIGKILL) at the end of the outage, so its committed offsets are final while the database
    /// is started again with no host running: what the journal holds then is exactly what was stored, and every
    /// reading below a committed offset must be in it. Then a new host finishes the scenario, whose alerts are stated
    /// by hand.
    /// </remarks>
    [Fact]
    public async Task With_PostgreSQL_down_for_20_seconds_no_partition_commits_a_reading_the_journal_lacks_and_after_a_kill_9_in_the_outage_every_alert_comes_out_once_it_is_back()
    {
        Assert.True(OwnPostgres.Available, "needs PostgreSQL installed and root (bash .ci/run)");
        using var db = new OwnPostgres();
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-2);
        Kcat.Produce(_kafka.Bootstrap, "streams.registry", Enumerable.Range(0, Gauges).Select(i =>
            ($"pegel/g{i}", (string?)$$"""{"kind":"pegel","id":"g{{i}}","municipality":"05766044","stagesCm":[150,200],"expectedIntervalSeconds":86400}""")));
        string At(int step) => start.AddMinutes(step).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        void Produce(int from, int to) => Kcat.Produce(_kafka.Bootstrap, "streams.pegel",
            Enumerable.Range(from, to - from).SelectMany(step => Enumerable.Range(0, Gauges).Select(i =>
                ($"g{i}", (string?)$$"""{"stationId":"g{{i}}","observedAt":"{{At(step)}}","levelCm":{{(step % 10 < 5 ? 120 : 210)}}}"""))));
        var settings = _kafka.HostSettings(Path.Combine(_workDir, "data"),
            ["--Streams:Persistence:Provider=PostgreSql", $"--Streams:Persistence:ConnectionString={db.ConnectionString}"]);

        var first = HostProcess.Start(_workDir, settings);
        await first.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(0, 10);
        await GroupProgress.WaitUntilCaughtUp(first, _kafka.Bootstrap, TimeSpan.FromSeconds(60));

        db.Stop();
        var downAt = Stopwatch.StartNew();
        Produce(10, 20);
        var unmet = "";
        await first.Eventually(async () =>
        {
            using var response = await first.Http.GetAsync("/healthz/ready");
            unmet = await response.Content.ReadAsStringAsync();
            return !response.IsSuccessStatusCode && unmet.Contains("persistence", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "not ready because the journal fails");
        output.WriteLine($"not ready {downAt.Elapsed.TotalSeconds:0.0} s after the database stopped: {unmet}");
        var rest = Outage - downAt.Elapsed;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        Assert.False(first.HasExited, "the host survives the outage\n" + first.Tail());
        var appliedInOutage = (await first.GetJson("/api/status")).GetProperty("applied").GetInt64();
        first.Kill();
        Assert.True(await first.WaitForExit(TimeSpan.FromSeconds(10)), "killed host still running");
        await first.DisposeAsync();

        var committed = KafkaIo.Committed(_kafka.Bootstrap, "streams", "streams.pegel", 8);
        db.Start();
        var stored = StoredReadings(db.ConnectionString);
        var records = KafkaIo.ReadAll(_kafka.Bootstrap, "streams.pegel", 8);
        var problems = new List<string>();
        foreach (var partition in records.GroupBy(r => r.Partition).OrderBy(g => g.Key))
        {
            var end = partition.Max(r => r.Offset) + 1;
            var below = partition.Where(r => r.Offset < committed[partition.Key]).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"partition {partition.Key}: committed {committed[partition.Key]} of {end}; "
                             + string.Join(", ", below.OrderBy(b => b.Key).Select(b => $"{b.Key} {b.Value} committed/{stored.GetValueOrDefault(b.Key)} stored")));
            problems.AddRange(below.Where(b => stored.GetValueOrDefault(b.Key) < b.Value)
                .Select(b => $"partition {partition.Key}: {b.Value} readings of {b.Key} committed, {stored.GetValueOrDefault(b.Key)} in the journal"));
        }
        var uncommitted = records.Count - committed.Values.Sum();
        output.WriteLine($"killed {Outage.TotalSeconds:0} s into the outage ({appliedInOutage} readings applied by that host in all); {uncommitted} of {records.Count} readings not committed");
        Assert.True(problems.Count == 0, "offsets ran ahead of the journal: " + string.Join("; ", problems));
        Assert.True(uncommitted > 0, "readings produced during the outage cannot all be committed");

        await using var second = HostProcess.Start(_workDir, settings);
        var sinceBack = Stopwatch.StartNew();
        await second.WaitUntilReady(TimeSpan.FromSeconds(60));
        Produce(20, Steps);
        await GroupProgress.WaitUntilCaughtUp(second, _kafka.Bootstrap, TimeSpan.FromSeconds(120));
        output.WriteLine($"caught up {sinceBack.Elapsed.TotalSeconds:0.0} s after the database was back");

        for (var i = 0; i < Gauges; i++)
        {
            var state = await second.GetJson($"/api/sensors/pegel/g{i}");
            Assert.Equal(start.AddMinutes(Steps - 1), state.GetProperty("state").GetProperty("lastObservedAt").GetDateTimeOffset());
        }
        // Every gauge went 120 → 210 → 120 → 210 → 120 → 210 (steps 0-4, 5-9, ... 25-29), stages at 150 and 200:
        // both stages raised at 5, 15, 25 and cleared at 10, 20, in this order, with none missing or extra.
        const string Expected = "stage1:r@5 stage2:r@5 stage2:c@10 stage1:c@10 stage1:r@15 stage2:r@15 stage2:c@20 stage1:c@20 stage1:r@25 stage2:r@25";
        var alerts = AlertStream.Read(_kafka.Bootstrap);
        Assert.Equal(0, alerts.GroupBy(a => a.Id).Count(g => g.Select(a => a.Raw).Distinct().Count() > 1));
        var bySubject = AlertStream.Deduplicated(alerts).GroupBy(a => a.Subject).ToDictionary(g => g.Key,
            g => string.Join(" ", g.Select(a => $"{a.Rule[6..]}:{a.State[0]}@{(a.Time - start).TotalMinutes:0}")));
        foreach (var (subject, line) in bySubject.OrderBy(p => p.Key)) output.WriteLine($"{subject}: {line}");
        Assert.All(Enumerable.Range(0, Gauges), i => Assert.Equal(Expected, bySubject.GetValueOrDefault($"pegel/g{i}")));
    }

    /// <summary>
    /// Per gauge id, how many applied readings its journal holds: an entity writes each batch of readings as one event
    /// (manifest <c>sensor.readings.v2</c>, binary, or <c>v1</c>, JSON); older journals hold one event per reading. The
    /// scenario stays far below the snapshot interval, so no event has been deleted.
    /// </summary>
    private static Dictionary<string, int> StoredReadings(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, manifest, message FROM journal WHERE persistence_id LIKE 'sensor-pegel-%'";
        var counts = new Dictionary<string, int>();
        var manifests = new HashSet<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0)["sensor-pegel-".Length..];
                var manifest = reader.GetString(1);
                manifests.Add(manifest);
                var readings = manifest switch
                {
                    Streams.Actors.Serialization.ReadingsEventCodec.Manifest => Streams.Actors.Serialization.ReadingsEventCodec.Read((byte[])reader[2]).Readings.Count,
                    "sensor.readings.v1" => System.Text.Json.JsonDocument.Parse((byte[])reader[2]).RootElement.GetProperty("Readings").GetArrayLength(),
                    "sensor.reading.v1" => 1,
                    _ when manifest.Contains("ReadingApplied", StringComparison.Ordinal) => 1,
                    _ => 0,
                };
                counts[id] = counts.GetValueOrDefault(id) + readings;
            }
        }
        Assert.True(counts.Values.Sum() > 0, "no applied readings recognised in the journal; manifests: " + string.Join(", ", manifests));
        return counts;
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
