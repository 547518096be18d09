using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests.Faults;

/// <summary>
/// A Kafka owned by the test, a generated scenario with known expected alerts (see <see cref="Scenario"/>), and the
/// checks every fault test ends with: nothing lost, per subject in order, no conflicting duplicates, every entity
/// at its last reading, the right aggregates.
/// </summary>
public abstract class FaultFixture : IDisposable
{
    protected const int SubjectsPerMunicipality = 20;
    protected const int ReadingsPerSubject = 200;
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    protected FaultFixture(ITestOutputHelper output)
    {
        _output = output;
        Kafka.Cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        Scenario = Scenario.Generate(SubjectsPerMunicipality, ReadingsPerSubject, DateTimeOffset.UtcNow);
    }

    protected string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "streams-fault-" + Guid.NewGuid().ToString("N")[..8]);
    protected TestKafka Kafka { get; } = new();
    protected Scenario Scenario { get; }

    protected HostProcess StartHost() =>
        HostProcess.Start(WorkDir, Kafka.HostSettings(Path.Combine(WorkDir, "data"), HostTuning.FastGroupRejoin));

    protected void ProduceAll() => KafkaIo.Produce(Kafka.Bootstrap, Scenario.Registry.Concat(Scenario.Readings));

    protected static async Task<long> Applied(HostProcess host) => (await host.GetJson("/api/status")).GetProperty("applied").GetInt64();

    /// <summary>The readiness probe: (ready, the unmet conditions with their reasons as JSON text).</summary>
    protected static async Task<(bool Ready, string Unmet)> Ready(HostProcess host)
    {
        using var response = await host.Http.GetAsync("/healthz/ready");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK) return (true, "");
        var root = JsonDocument.Parse(body).RootElement;
        return (false, root.TryGetProperty("unmet", out var unmet) ? unmet.GetRawText() : body);
    }

    protected static async Task WaitUntilApplied(HostProcess host, long atLeast, TimeSpan timeout) =>
        await host.Eventually(async () => await Applied(host) >= atLeast, timeout, $"at least {atLeast} readings applied");

    /// <summary>Waits until the group committed every reading, then checks the outputs and the entities.</summary>
    protected async Task AssertNothingLost(HostProcess host, TimeSpan timeout)
    {
        try
        {
            await host.Eventually(() => Task.FromResult(KafkaIo.Uncommitted(Kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8) == 0),
                timeout, "every reading committed by the group");
        }
        catch (TimeoutException)
        {
            foreach (var line in host.Output.Where(l => l.Contains("Kafka", StringComparison.Ordinal)).TakeLast(40)) Log("host: " + line);
            throw;
        }

        var alerts = OutputCheck.Alerts(Scenario, KafkaIo.ReadAll(Kafka.Bootstrap, "streams.alerts", 4));
        Log(alerts.ToString());
        if (alerts.Lost.Count > 0 || alerts.OrderViolations.Count > 0 || alerts.Conflicts > 0)
        {
            foreach (var line in host.Output.Where(l => l.Contains("warn", StringComparison.Ordinal) || l.Contains("fail", StringComparison.Ordinal)).Take(40))
                Log("host: " + line);
        }
        alerts.AssertClean();

        var behind = new List<string>();
        foreach (var f in Scenario.Final.Values)
        {
            var state = (await host.GetJson($"/api/sensors/{f.Kind}/{f.Id}")).GetProperty("state");
            var last = state.GetProperty("lastObservedAt");
            if (last.ValueKind != JsonValueKind.String || DateTimeOffset.Parse(last.GetString()!, CultureInfo.InvariantCulture) != f.LastObservedAt)
                behind.Add($"{f.Subject}: lastObservedAt {last}, expected {f.LastObservedAt:O}");
        }
        Assert.True(behind.Count == 0, $"{behind.Count} entities not at their last reading: " + string.Join("; ", behind.Take(5)));

        // Aggregates are conflated: the one reflecting the final readings follows shortly after.
        List<string> problems = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        do
        {
            problems = OutputCheck.Aggregates(Scenario, KafkaIo.ReadAll(Kafka.Bootstrap, "streams.aggregates", 4));
            if (problems.Count == 0) break;
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);
        Assert.True(problems.Count == 0, "aggregates: " + string.Join("; ", problems.Take(5)));
        Assert.False(host.HasExited, "host alive at the end\n" + host.Tail());
    }

    protected void Log(string line)
    {
        var text = $"[fault {_wall.Elapsed.TotalSeconds,5:0.0}s] {line}";
        _output.WriteLine(text);
        Console.WriteLine(text);
    }

    public void Dispose()
    {
        Kafka.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
