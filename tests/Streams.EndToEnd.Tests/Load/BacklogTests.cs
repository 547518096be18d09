using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Load;

/// <summary>
/// A city's size after an outage: 10,000 registered subjects in 20 municipalities and 60,000 readings waiting in their
/// topics when the node starts. More work than the node can do at once must slow the consumer, never turn into ask
/// timeouts, retries, a tripped circuit breaker, duplicates re-applied or lost readiness.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BacklogTests(ITestOutputHelper output) : IDisposable
{
    private const int Subjects = 10_000;
    private const int ReadingsPerSubject = 6;
    private const int Municipalities = 20;
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-backlog-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    [Fact]
    public Task A_backlog_of_60000_readings_for_10000_subjects_is_processed_without_timeouts_retries_duplicates_or_lost_readiness() =>
        WorkOffTheBacklog("SQLite", []);

    /// <summary>
    /// PostgreSQL as well: every new subject is a recovery (three queries), a hundred at once, beside the journal's writes.
    /// The node must stay within its connection pool and wait for a connection, never fail a recovery for want of one.
    /// </summary>
    [PostgresFact]
    public Task The_same_backlog_on_PostgreSQL_is_processed_without_timeouts_retries_duplicates_or_lost_readiness() =>
        WorkOffTheBacklog("PostgreSQL",
            ["--Streams:Persistence:Provider=PostgreSql", $"--Streams:Persistence:ConnectionString={Postgres.CreateDatabase()}"]);

    private async Task WorkOffTheBacklog(string store, string[] storeSettings)
    {
        WriteRegistryAndBacklog();
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data"), storeSettings));
        await host.WaitUntilReady(TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();

        // Readiness is polled the whole time: it must never be lost while the backlog is worked off.
        var notReady = new List<string>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await host.Http.GetAsync("/healthz/ready");
                    if (!response.IsSuccessStatusCode) notReady.Add($"{clock.Elapsed.TotalSeconds:0.0} s: {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException e) { notReady.Add($"{clock.Elapsed.TotalSeconds:0.0} s: {e.Message}"); }
                catch (TaskCanceledException) { notReady.Add($"{clock.Elapsed.TotalSeconds:0.0} s: /healthz/ready did not answer within 10 s"); }
                await Task.Delay(500);
            }
        });

        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromMinutes(6));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await watch;

        var status = await host.GetJson("/api/status");
        var applied = status.GetProperty("applied").GetInt64();
        var duplicates = status.GetProperty("duplicates").GetInt64();
        var log = host.Output;
        var timeouts = log.Count(l => l.Contains("no acknowledgment", StringComparison.Ordinal));
        var retries = log.Count(l => l.Contains("asking again", StringComparison.Ordinal));
        var breaker = log.Count(l => l.Contains("Circuit Breaker", StringComparison.OrdinalIgnoreCase));
        var sequenceErrors = log.Count(l => l.Contains("Sequence contains no elements", StringComparison.Ordinal));
        var recoveryFailures = log.Count(l => l.Contains("recovery failed", StringComparison.Ordinal));
        output.WriteLine($"{store}: {Subjects * ReadingsPerSubject:N0} readings for {Subjects:N0} subjects committed {elapsed.TotalSeconds:0.0} s after ready "
                         + $"= {Subjects * ReadingsPerSubject / elapsed.TotalSeconds:N0} readings/s; applied={applied} duplicates={duplicates} "
                         + $"timeouts={timeouts} retries={retries} breaker={breaker} recovery-failures={recoveryFailures} not-ready={notReady.Count}");

        Assert.Equal(Subjects * ReadingsPerSubject, applied);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, timeouts);
        Assert.Equal(0, retries);
        Assert.Equal(0, breaker);
        Assert.Equal(0, sequenceErrors);
        Assert.Equal(0, recoveryFailures);
        Assert.True(notReady.Count == 0, "readiness lost: " + string.Join("\n", notReady.Take(10)));

        // The host as built collects gen 2 blocking, so that it can compact (the live-sensor limit's churn fragments
        // gen 2 otherwise), and with server GC.
        var gc = status.GetProperty("runtime").GetProperty("gc");
        Assert.False(gc.GetProperty("concurrent").GetBoolean());
        Assert.True(gc.GetProperty("server").GetBoolean());
        Assert.True(gc.GetProperty("heapBytes").GetInt64() > 0);
    }

    private void WriteRegistryAndBacklog()
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = _kafka.Bootstrap, Acks = Acks.All, EnableIdempotence = true, LingerMs = 20,
        }).Build();
        void Send(string topic, string key, string value) => producer.Produce(topic, new Message<string, string> { Key = key, Value = value });

        for (var m = 0; m < Municipalities; m++)
            Send("streams.registry", $"municipality/{Ags(m)}", $$"""{"kind":"municipality","id":"{{Ags(m)}}","name":"Gemeinde {{m}}"}""");
        for (var s = 0; s < Subjects; s++)
        {
            var (kind, entry) = Registry(s);
            Send("streams.registry", $"{kind}/{Id(s)}", entry);
        }
        var start = DateTimeOffset.UtcNow.AddHours(-ReadingsPerSubject);
        for (var r = 0; r < ReadingsPerSubject; r++)
        {
            var at = start.AddMinutes(r * 10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            for (var s = 0; s < Subjects; s++)
            {
                var (topic, value) = Reading(s, r, at);
                Send(topic, Id(s), value);
                if (s % 5000 == 0) producer.Poll(TimeSpan.Zero);
            }
        }
        producer.Flush(TimeSpan.FromMinutes(2));
    }

    private static string Ags(int m) => $"0{5766000 + m:D7}";

    private static string Id(int s) => $"s{s}";

    // 30 % gauges, 30 % car parks, 40 % buses; long intervals, so nothing turns stale during the test.
    private static (string Kind, string Entry) Registry(int s) => (s % 10) switch
    {
        < 3 => ("pegel", $$"""{"kind":"pegel","id":"{{Id(s)}}","municipality":"{{Ags(s % Municipalities)}}","stagesCm":[150,200,250],"expectedIntervalSeconds":86400}"""),
        < 6 => ("parking", $$"""{"kind":"parking","id":"{{Id(s)}}","municipality":"{{Ags(s % Municipalities)}}","capacity":200,"expectedIntervalSeconds":86400}"""),
        _ => ("bus", $$"""{"kind":"bus","id":"{{Id(s)}}","municipality":"{{Ags(s % Municipalities)}}","expectedIntervalSeconds":86400}"""),
    };

    // Levels, occupancy and delays swing so that alerts are raised and cleared along the way.
    private static (string Topic, string Value) Reading(int s, int r, string at) => (s % 10) switch
    {
        < 3 => ("streams.pegel", $$"""{"stationId":"{{Id(s)}}","observedAt":"{{at}}","levelCm":{{(r % 2 == 0 ? 120 : 210) + s % 7}}}"""),
        < 6 => ("streams.parking", $$"""{"facilityId":"{{Id(s)}}","observedAt":"{{at}}","free":{{(r % 2 == 0 ? 100 : 0)}}}"""),
        _ => ("streams.bus", $$"""{"vehicleId":"{{Id(s)}}","observedAt":"{{at}}","lat":52.03,"lon":8.9,"delaySeconds":{{(r % 2 == 0 ? 30 : 400)}}}"""),
    };

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
