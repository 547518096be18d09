using Streams.EndToEnd.Tests.Crash;
using Xunit.Abstractions;

namespace Streams.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class MainJobTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-main-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task With_no_configuration_the_host_runs_embedded_kafka_and_demo_data_and_both_readings_and_dead_letters_flow_within_30_seconds()
    {
        await using var host = HostProcess.Start(_workDir);

        await host.Eventually(async () =>
        {
            var status = await host.GetJson("/api/status");
            var deadLetters = status.GetProperty("deadLetters").EnumerateObject().Sum(p => p.Value.GetInt64());
            return status.GetProperty("applied").GetInt64() > 0 && deadLetters > 0;
        }, TimeSpan.FromSeconds(30), "demo readings applied and dead letters produced");

        var output = host.Output;
        Assert.Contains(output, l => l.Contains("Kafka bootstrap servers: 127.0.0.1:") && l.Contains("(embedded)"));
        Assert.Contains(output, l => l.Contains("data dir: " + Path.Combine(_workDir, "data")));
        Assert.True(File.Exists(Path.Combine(_workDir, "data", "streams.db")), "SQLite journal in the data dir");
    }

    /// <remarks>
    /// The demo feed writes to a Kafka owned by the test, so the group's offsets outlive the host. A reading applied
    /// and not committed would be applied again by the next host, which counts it as a duplicate: after a drained
    /// stop, the next host counts none.
    /// </remarks>
    [Fact]
    public async Task On_SIGTERM_the_host_drains_in_flight_readings_and_commits_them_so_a_restart_applies_none_again()
    {
        using var kafka = new TestKafka();
        var dataDir = Path.Combine(_workDir, "data");
        long appliedBeforeStop;
        await using (var host = HostProcess.Start(_workDir, kafka.HostSettings(dataDir, "--Streams:Demo:Enabled=true", "--Streams:Demo:ReadingsPerSecond=200")))
        {
            await host.WaitUntilReady(TimeSpan.FromSeconds(60));
            await host.Eventually(async () => (await host.GetJson("/api/status")).GetProperty("applied").GetInt64() > 200,
                TimeSpan.FromSeconds(30), "demo readings applied");
            appliedBeforeStop = (await host.GetJson("/api/status")).GetProperty("applied").GetInt64();

            host.SendSigterm();

            Assert.True(await host.WaitForExit(TimeSpan.FromSeconds(40)), "exited after SIGTERM\n" + host.Tail());
            Assert.Equal(0, host.ExitCode);
            Assert.Contains(host.Output, l => l.Contains("Drained:"));
        }
        var uncommittedAfterStop = KafkaIo.Uncommitted(kafka.Bootstrap, "streams", TestKafka.ReadingTopics, 8);

        await using var restarted = HostProcess.Start(_workDir, kafka.HostSettings(dataDir));
        await restarted.WaitUntilReady(TimeSpan.FromSeconds(60));
        await GroupProgress.WaitUntilCaughtUp(restarted, kafka.Bootstrap, TimeSpan.FromSeconds(60));
        var status = await restarted.GetJson("/api/status");
        var (applied, duplicates) = (status.GetProperty("applied").GetInt64(), status.GetProperty("duplicates").GetInt64());
        output.WriteLine($"first host: more than {appliedBeforeStop} readings applied, {uncommittedAfterStop} records left uncommitted (produced after the consumer stopped); "
                         + $"restarted host: {applied} applied, {duplicates} duplicates");
        Assert.Equal(0, duplicates);
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
