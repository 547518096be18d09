using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Streams.Host.Cli;

namespace Streams.EndToEnd.Tests.Replay;

/// <summary>`streams replay`'s switches against a Kafka of the test's own (no host needed): what is written, and when.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReplayCommandTests : IDisposable
{
    private static readonly string Data = Path.Combine(HostProcess.RepoRoot(), "tests", "Streams.Feeds.Tests", "Data");
    private static readonly string Koeln = Path.Combine(Data, "pegel", "wsv_daily_minmax_koeln_2020_2026.csv");
    private static readonly string Thresholds = Path.Combine(Data, "pegel", "lanuk_rhine_wsv_gauges_thresholds.csv");
    private readonly TestKafka _kafka = new();

    public void Dispose() => _kafka.Dispose();

    private string[] Koeln2021(params string[] more) =>
        ["replay", "pegelonline", Koeln, "--stages", Thresholds, "--municipality", "05315000", "--kafka", _kafka.Bootstrap, "--no-progress", .. more];

    [Fact]
    public async Task Dry_run_converts_and_reports_but_writes_nothing()
    {
        var (code, output) = await Run(Koeln2021("--dry-run"));

        Assert.Equal(0, code);
        Assert.Contains("converted: 1 registry entries, 2234 readings, 0 rejected", output);
        Assert.Contains("dry run: nothing written", output);
        Assert.Empty(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.registry"));
        Assert.Empty(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.pegel"));
    }

    [Fact]
    public async Task From_and_to_select_the_readings_of_that_window_keyed_by_station_and_in_event_time_order()
    {
        var (code, output) = await Run(Koeln2021("--from", "2021-07-01T00:00:00+02:00", "--to", "2021-08-01T00:00:00+02:00"));

        Assert.True(code == 0, output);
        var registry = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.registry");
        Assert.Equal("pegel/a6ee8177-107b-47dd-bcfd-30960ccc6e9c", Assert.Single(registry).Key);
        var readings = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.pegel");
        Assert.Equal(31, readings.Count);                                     // the 31 days of July 2021
        Assert.All(readings, r => Assert.Equal("a6ee8177-107b-47dd-bcfd-30960ccc6e9c", r.Key));
        var times = readings.Select(r => System.Text.Json.JsonDocument.Parse(r.Value).RootElement.GetProperty("observedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);                                   // one key, one partition: topic order is write order
        Assert.Equal(new DateTimeOffset(2021, 7, 1, 12, 0, 0, TimeSpan.FromHours(1)), times[0]);
    }

    [Fact]
    public async Task Registry_only_writes_the_entries_and_no_reading()
    {
        var (code, output) = await Run(Koeln2021("--registry-only"));

        Assert.True(code == 0, output);
        Assert.Single(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.registry"));
        Assert.Empty(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.pegel"));
    }

    [Fact]
    public async Task At_a_given_speed_the_replay_takes_at_least_the_event_time_span_divided_by_the_speed()
    {
        // Four daily readings (3 days of event time) at 86400x: at least 3 s of wall time; at max speed no waiting.
        var clock = Stopwatch.StartNew();
        var (code, output) = await Run(Koeln2021("--from", "2021-07-14", "--to", "2021-07-18", "--speed", "86400x"));

        Assert.True(code == 0, output);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"took {clock.Elapsed}");
        Assert.Equal(4, Kcat.ConsumeAll(_kafka.Bootstrap, "streams.pegel").Count);
    }

    [Fact]
    public async Task Without_a_Kafka_to_write_to_the_replay_exits_with_2()
    {
        var (code, _) = await Run(["replay", "pegelonline", Koeln, "--municipality", "05315000", "--node", $"http://127.0.0.1:{ClosedPort()}", "--no-progress"]);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_and_the_help_lists_the_formats()
    {
        var (code, _) = await Run(["replay", "nosuchformat", Koeln]);
        var (_, help) = await Run(["replay", "--help"]);

        Assert.NotEqual(0, code);
        foreach (var format in new[] { "pegelonline", "parkapi", "parking-csv", "gtfs-rt" }) Assert.Contains(format, help);
    }

    private static async Task<(int Code, string Output)> Run(string[] args)
    {
        var output = new StringWriter();
        var (console, error) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            return (await StreamsCommandLine.RunAsync(args), output.ToString());
        }
        finally
        {
            Console.SetOut(console);
            Console.SetError(error);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
