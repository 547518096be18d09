namespace Streams.EndToEnd.Tests.Topics;

[Collection(EndToEndCollection.Name)]
public sealed class MissingTopicTests : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-topics-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new("streams.bus");

    [Fact]
    public async Task A_missing_topic_keeps_the_host_not_ready_with_the_reason_topics_without_exiting_and_it_becomes_ready_once_the_topic_exists()
    {
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
            [("bus/b1", """{"kind":"bus","id":"b1","municipality":"05766044","expectedIntervalSeconds":86400}""")]);
        await using var host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data")));

        var unmet = "";
        await host.Eventually(async () =>
        {
            using var response = await host.Http.GetAsync("/healthz/ready");
            unmet = await response.Content.ReadAsStringAsync();
            return (int)response.StatusCode == 503 && unmet.Contains("\"topics\"", StringComparison.Ordinal) && unmet.Contains("streams.bus", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "503 with the reason topics naming streams.bus");
        // The host checks again every few seconds: it stays up and not ready over more than one check.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(host.HasExited, "the host exited over a missing topic\n" + host.Tail());
        Assert.False((await host.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "ready with a topic missing");

        _kafka.Cluster.CreateTopic("streams.bus", 8);
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        Kcat.Produce(_kafka.Bootstrap, "streams.bus", [("b1", $$"""{"vehicleId":"b1","observedAt":"{{at}}","lat":52.03,"lon":8.9,"delaySeconds":30}""")]);
        await host.Eventually(async () => (await host.GetJson("/api/status")).GetProperty("applied").GetInt64() == 1,
            TimeSpan.FromSeconds(30), "a reading of the topic that appeared is applied");
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
