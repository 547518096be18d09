using System.Globalization;
using System.Text.RegularExpressions;
using Streams.EndToEnd.Tests.Scenarios;
using Streams.Host.Cli;

namespace Streams.EndToEnd.Tests.Replay;

/// <summary>
/// `streams replay` end to end: the real daily maxima of the Rhine at Köln (2020-01 to 2026-08, with the floods of
/// February 2021, July 2021 and December 2023/January 2024) against NRW's information levels for Köln, written through
/// the embedded Kafka into a host process. The expected alerts are worked out here from the data file, the LANUK
/// threshold file and the contract's stage rule, never by the code under test.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class FloodReplayTests : IAsyncLifetime
{
    private const string KoelnUuid = "a6ee8177-107b-47dd-bcfd-30960ccc6e9c";
    private const string Subject = $"pegel/{KoelnUuid}";
    private static readonly string Data = Path.Combine(HostProcess.RepoRoot(), "tests", "Streams.Feeds.Tests", "Data", "pegel");
    private static readonly string DailyCsv = Path.Combine(Data, "wsv_daily_minmax_koeln_2020_2026.csv");
    private static readonly string Thresholds = Path.Combine(Data, "lanuk_rhine_wsv_gauges_thresholds.csv");

    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-replay-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        Kcat.EnsureInstalled();
        _host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data")));
        await _host.WaitUntilReady(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Replaying_the_Koeln_record_raises_and_clears_exactly_the_information_levels_its_daily_maxima_cross_and_a_rerun_adds_nothing()
    {
        var expected = ExpectedTransitions();
        Assert.Contains(expected, e => e.Rule == "pegel.stage1" && e.State == "raised");  // the data does reach a level

        var (code, output) = await Replay("--kafka", _kafka.Bootstrap, "--node", _host.Url, "--report", "--settle", "10");
        Assert.True(code == 0, output);

        var alerts = await AlertsOfKoeln(expected.Count);
        Assert.Equal(expected, alerts.Select(a => (a.Rule, a.State, DateOnly.FromDateTime(a.Time.ToOffset(TimeSpan.FromHours(1)).DateTime))).ToList());

        // The backtest report counts the same transitions per rule.
        foreach (var rule in expected.Select(e => e.Rule).Distinct())
        {
            var line = ReportLine().Match(output.Split('\n').Single(l => l.Contains(Subject) && l.Contains($" {rule} ")));
            Assert.Equal(expected.Count(e => e.Rule == rule && e.State == "raised"), int.Parse(line.Groups["raised"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(expected.Count(e => e.Rule == rule && e.State == "cleared"), int.Parse(line.Groups["cleared"].Value, CultureInfo.InvariantCulture));
        }

        // Again, this time finding the Kafka through the node's status endpoint: every reading is a duplicate, no new alert.
        var readings = File.ReadLines(DailyCsv).Skip(1).Count(l => l.Length > 0);
        var (again, againOutput) = await Replay("--node", _host.Url);
        Assert.True(again == 0, againOutput);
        Assert.Contains($"from the node at {_host.Url}", againOutput);
        await _host.Eventually(async () => (await _host.GetJson("/api/status")).GetProperty("duplicates").GetInt64() >= readings,
            TimeSpan.FromSeconds(300), $"{readings} duplicates after the second replay");
        Assert.Equal(alerts.Select(a => a.Id), AlertStream.Read(_kafka.Bootstrap).Of(Subject).Select(a => a.Id));
    }

    [GeneratedRegex(@"\s(?<raised>\d+)\s+(?<cleared>\d+)\s+\d{4}-")]
    private static partial Regex ReportLine();

    private static async Task<(int Code, string Output)> Replay(params string[] more)
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            var code = await StreamsCommandLine.RunAsync(
                ["replay", "pegelonline", DailyCsv, "--stages", Thresholds, "--municipality", "05315000", "--no-progress", .. more]);
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    private async Task<IReadOnlyList<Alert>> AlertsOfKoeln(int count)
    {
        IReadOnlyList<Alert> alerts = [];
        await _host.Eventually(() =>
        {
            alerts = AlertStream.Deduplicated(AlertStream.Read(_kafka.Bootstrap)).Of(Subject);
            return Task.FromResult(alerts.Count >= count);
        }, TimeSpan.FromSeconds(300), $"{count} alerts for {Subject}");
        await Task.Delay(2000); // nothing more may follow
        return AlertStream.Deduplicated(AlertStream.Read(_kafka.Bootstrap)).Of(Subject);
    }

    /// <summary>NRW's information levels for Köln from the LANUK file, then the stage rule over the file's daily maxima.</summary>
    private static List<(string Rule, string State, DateOnly Day)> ExpectedTransitions()
    {
        var header = File.ReadLines(Thresholds).First().Split(',');
        var koeln = File.ReadLines(Thresholds).Select(l => l.Split(',')).Single(f => f[1] == "WSV_Koeln");
        var levels = new[] { "LANUV_Info_1_cm", "LANUV_Info_2_cm", "LANUV_Info_3_cm" }
            .Select(c => koeln[Array.IndexOf(header, c)]).Where(v => v.Length > 0)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([725, 950, 1000], levels);
        return StageExpectations.Transitions(StageExpectations.DailyMaxima(DailyCsv), levels);
    }
}
