using Microsoft.Playwright;
using Streams.EndToEnd.Tests;

namespace Streams.Browser.Tests;

/// <summary>
/// One embedded Kafka, one host (port 0), one TCP relay in front of it and one Chromium for all tests: starting them
/// is the expensive part on a shared machine. The browser is Debian's Chromium; no browser is ever downloaded.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-browser-" + Guid.NewGuid().ToString("N")[..8]);

    public TestKafka Kafka { get; private set; } = null!;
    public TestTown Town { get; private set; } = null!;
    public StreamsHost Host { get; private set; } = null!;
    public TcpProxy Relay { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: under the test output directory.</summary>
    public static string Artifacts => Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} missing: apt-get install chromium (bash .ci/run does)");
        Kafka = new TestKafka();
        Town = new TestTown(Kafka.Bootstrap);
        await Town.WriteRegistry();
        Host = await StreamsHost.StartAsync(_workDir, TimeSpan.FromSeconds(90),
            Kafka.HostSettings(Path.Combine(_workDir, "data"), "--Streams:LiveStream:HeartbeatSeconds=2"));
        await Host.Eventually(async () => (await Host.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(90), "host ready");

        await Town.Level(TestTown.StageGauge, 60);
        await Town.Level(TestTown.LatencyGauge, 80);
        await Town.Level("lauter-1", 70);
        await Town.Parking(TestTown.FillingCarPark, 25, 40);
        await Town.Position(TestTown.Bus, 52.026, 8.903, 45);
        await Host.Eventually(async () =>
            (await Host.GetJson($"/api/municipalities/{TestTown.Lemgo}")).GetProperty("bus").GetProperty("vehicles").GetInt32() == 1
            && (await Host.GetJson($"/api/sensors/pegel/{TestTown.StageGauge}")).GetProperty("pegel").GetProperty("levelCm").ValueKind
                == System.Text.Json.JsonValueKind.Number,
            TimeSpan.FromSeconds(60), "first readings applied");

        Relay = new TcpProxy(new Uri(Host.Url));
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Artifacts);
    }

    /// <summary>A page on the dashboard of Lemgo through the relay, once its stream is live and the subjects are drawn.</summary>
    public async Task<IPage> OpenDashboard(int width = 1400, int height = 1000)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.PageError += (_, e) => Console.WriteLine("page error: " + e);
        await page.GotoAsync($"{Relay.Url}/?m={TestTown.Lemgo}");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-stream", "live", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator($"article[data-subject='pegel/{TestTown.StageGauge}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Relay is not null) await Relay.DisposeAsync();
        if (Host is not null) await Host.DisposeAsync();
        Town?.Dispose();
        Kafka?.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
