using Streams.EndToEnd.Tests.Scenarios;

namespace Streams.EndToEnd.Tests.Replay;

/// <summary>
/// The demo node loops the Elbe at Dresden through the August 2002 flood against Saxony's Alarmstufen. Expectations
/// come from the recording and the four levels, worked out with the contract's stage rule, not from the demo code.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RealDataDemoTests : IAsyncLifetime
{
    private const string Subject = "pegel/loop-70272185-b2b3-4178-96b8-43bea330dcae";
    private static readonly double[] Alarmstufen = [400, 500, 600, 700];   // LfULG, gauge Dresden/Elbe
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-realdemo-" + Guid.NewGuid().ToString("N")[..8]);
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        Kcat.EnsureInstalled();
        // Embedded Kafka and the demo, one recorded day per second.
        _host = HostProcess.Start(_workDir, $"--Streams:DataDir={Path.Combine(_workDir, "data")}", "--Streams:Demo:RealData:Speed=86400",
            "--Streams:Pipeline:StatusIntervalSeconds=1");
        await _host.WaitUntilReady(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_demo_raises_and_clears_the_Alarmstufen_the_2002_Elbe_flood_crossed_in_their_order()
    {
        var csv = Path.Combine(HostProcess.RepoRoot(), "src", "Host", "Demo", "Data", "wsv_daily_minmax_dresden_2002_2013_floods.csv");
        var days = StageExpectations.DailyMaxima(csv, new DateOnly(2002, 7, 25), new DateOnly(2002, 9, 15));
        var expected = StageExpectations.Transitions(days, Alarmstufen).Select(t => (t.Rule, t.State)).ToList();
        Assert.Equal(8, expected.Count);                                        // the 940 cm peak crosses all four, and the fall clears them

        var bootstrap = (await _host.GetJson("/api/status")).GetProperty("kafka").GetProperty("bootstrapServers").GetString()!;
        IReadOnlyList<Alert> alerts = [];
        await _host.Eventually(() =>
        {
            alerts = AlertStream.Deduplicated(AlertStream.Read(bootstrap)).Of(Subject).Where(a => a.Rule.StartsWith("pegel.stage", StringComparison.Ordinal)).ToList();
            return Task.FromResult(alerts.Count >= expected.Count);
        }, TimeSpan.FromSeconds(150), $"{expected.Count} stage alerts for {Subject}");

        Assert.Equal(expected, alerts.Take(expected.Count).Select(a => (a.Rule, a.State)));
        // The recorded level, unchanged: stage 4 is raised by the first day whose maximum reaches 700 cm.
        Assert.Equal(days.First(d => d.Max >= 700).Max, alerts.Take(expected.Count).Single(a => a.Rule == "pegel.stage4" && a.State == "raised").Value);
    }
}
