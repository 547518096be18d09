namespace Streams.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class MainJobTests : IDisposable
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

    [Fact]
    public async Task On_SIGTERM_the_host_drains_in_flight_work_and_exits_cleanly()
    {
        await using var host = HostProcess.Start(_workDir);
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        await host.Eventually(async () => (await host.GetJson("/api/status")).GetProperty("applied").GetInt64() > 10,
            TimeSpan.FromSeconds(30), "demo readings applied");

        host.SendSigterm();

        Assert.True(await host.WaitForExit(TimeSpan.FromSeconds(40)), "exited after SIGTERM\n" + host.Tail());
        Assert.Equal(0, host.ExitCode);
        Assert.Contains(host.Output, l => l.Contains("Drained:"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
