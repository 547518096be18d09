using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Streams.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private TestTown Town => fixture.Town;

    [Fact]
    public async Task A_gauge_reading_that_raises_stage_2_shows_its_alert_and_the_new_level_within_2_seconds_without_reload()
    {
        var page = await fixture.OpenDashboard();
        await page.EvaluateAsync("() => window.notReloaded = true");
        var gauge = page.Locator($"article[data-subject='pegel/{TestTown.StageGauge}']");

        var clock = Stopwatch.StartNew();
        await Town.Level(TestTown.StageGauge, 163);
        await Expect(gauge).ToHaveAttributeAsync("data-level", "163", new() { Timeout = 2000 });
        await Expect(gauge).ToHaveAttributeAsync("data-stage", "2", new() { Timeout = 2000 - (float)clock.Elapsed.TotalMilliseconds });
        var alert = page.Locator($"#alert-list li[data-subject='pegel/{TestTown.StageGauge}'][data-rule='pegel.stage2']");
        await Expect(alert).ToBeVisibleAsync(new() { Timeout = Math.Max(1, 2000 - (float)clock.Elapsed.TotalMilliseconds) });
        output.WriteLine($"stage 2 level and alert visible {clock.ElapsedMilliseconds} ms after the reading was written");

        Assert.Equal("warning", await alert.GetAttributeAsync("data-severity"));
        await Expect(gauge.Locator(".badge.s2")).ToHaveTextAsync("Stage 2");
        await Expect(page.Locator($"#map .marker[data-subject='pegel/{TestTown.StageGauge}'] .mk")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bs2\b"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was not reloaded");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_car_park_turning_full_is_shown_full_with_its_alert_on_list_and_map()
    {
        var page = await fixture.OpenDashboard();
        var row = page.Locator($"#parking li[data-subject='parking/{TestTown.FillingCarPark}']");
        await Town.Parking(TestTown.FillingCarPark, 3, 40);
        await Expect(row).ToHaveAttributeAsync("data-status", "almost", new() { Timeout = 5000 });

        await Town.Parking(TestTown.FillingCarPark, 0, 40);

        await Expect(row).ToHaveAttributeAsync("data-status", "full", new() { Timeout = 5000 });
        await Expect(row).ToHaveAttributeAsync("data-free", "0");
        await Expect(row.Locator(".badge.full")).ToHaveTextAsync("Full");
        await Expect(page.Locator($"#alert-list li[data-subject='parking/{TestTown.FillingCarPark}'][data-rule='parking.full']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#map .marker[data-subject='parking/{TestTown.FillingCarPark}'] .mk")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bfull\b"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_car_park_that_stops_reporting_is_shown_stale_on_list_and_map()
    {
        var page = await fixture.OpenDashboard();
        var row = page.Locator($"#parking li[data-subject='parking/{TestTown.SilentCarPark}']");
        await Town.Parking(TestTown.SilentCarPark, 50, 100);
        await Expect(row).ToHaveAttributeAsync("data-free", "50", new() { Timeout = 5000 });

        // Expected every 2 s: sensor.stale is raised after 6 s of silence.
        await Expect(row).ToHaveAttributeAsync("data-status", "stale", new() { Timeout = 15_000 });
        await Expect(row.Locator(".badge.stale")).ToHaveTextAsync("No data");
        await Expect(page.Locator($"#alert-list li[data-subject='parking/{TestTown.SilentCarPark}'][data-rule='sensor.stale']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#map .marker[data-subject='parking/{TestTown.SilentCarPark}'] .mk")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstale\b"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task When_the_stream_is_cut_a_banner_shows_and_on_reconnect_the_page_resumes_with_what_it_missed()
    {
        var page = await fixture.OpenDashboard();
        await page.EvaluateAsync("() => window.notReloaded = true");
        var banner = page.Locator("#banner");
        await Expect(banner).ToBeHiddenAsync();

        fixture.Relay.Cut();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-stream", "lost", new() { Timeout = 10_000 });
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("Live connection lost");

        // Happens while the page is cut off.
        await Town.Level(TestTown.LatencyGauge, 777.7);
        await fixture.Host.Eventually(async () =>
            (await fixture.Host.GetJson($"/api/sensors/pegel/{TestTown.LatencyGauge}")).GetProperty("pegel").GetProperty("levelCm").GetDouble() == 777.7,
            TimeSpan.FromSeconds(20), "the reading applied while the page is cut off");
        await Task.Delay(1000); // its subject event reaches the hub
        await Expect(page.Locator($"article[data-subject='pegel/{TestTown.LatencyGauge}']")).Not.ToHaveAttributeAsync("data-level", "777.7");

        fixture.Relay.Restore();

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-stream", "live", new() { Timeout = 15_000 });
        await Expect(banner).ToBeHiddenAsync();
        await Expect(page.Locator($"article[data-subject='pegel/{TestTown.LatencyGauge}']")).ToHaveAttributeAsync("data-level", "777.7", new() { Timeout = 5000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was not reloaded");
        // Resumed from its Last-Event-ID: the missed events were replayed, the state was not loaded afresh.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.streamsDashboard.resets"));
        Assert.True(await page.EvaluateAsync<int>("() => window.streamsDashboard.resumes") >= 1);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Reading_to_screen_latency_over_120_readings_is_measured_and_printed()
    {
        const int Readings = 120;
        var page = await fixture.OpenDashboard();
        var latencies = new List<double>();
        for (var i = 0; i < Readings; i++)
        {
            var level = 200 + i + 0.5;
            var text = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // In the page: resolve with the page's clock when the gauge first shows this level.
            var seen = page.EvaluateAsync<double>(@"([subject, level]) => new Promise(resolve => {
                const shown = () => document.querySelector(`article[data-subject='${subject}']`)?.dataset.level === level;
                if (shown()) return resolve(-1);
                const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(Date.now()); } });
                observer.observe(document.getElementById('gauges'), { subtree: true, childList: true, attributes: true });
            })", new object[] { $"pegel/{TestTown.LatencyGauge}", text });
            var written = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Town.Level(TestTown.LatencyGauge, level);
            var shownAt = await seen.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(shownAt > 0, $"level {text} was on the page before it was written");
            latencies.Add(shownAt - written);
        }

        latencies.Sort();
        var median = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        var line = $"reading written to Kafka -> visible in the browser, {Readings} readings: median {median:0} ms, p99 {p99:0} ms, " +
                   $"min {latencies[0]:0} ms, max {latencies[^1]:0} ms";
        output.WriteLine(line);
        Console.WriteLine("[browser] " + line);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_municipality_is_chosen_from_the_URL_and_a_choice_is_remembered_in_it()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Relay.Url}/?m={TestTown.Kaiserslautern}");
        await Expect(page.Locator("article[data-subject='pegel/lauter-1']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#municipality")).ToHaveValueAsync(TestTown.Kaiserslautern);
        await Expect(page.Locator($"article[data-subject='pegel/{TestTown.StageGauge}']")).ToHaveCountAsync(0);

        await page.Locator("#municipality").SelectOptionAsync(TestTown.Lemgo);

        await Expect(page.Locator($"article[data-subject='pegel/{TestTown.StageGauge}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("article[data-subject='pegel/lauter-1']")).ToHaveCountAsync(0);
        Assert.EndsWith($"?m={TestTown.Lemgo}", page.Url);
        // Keyboard: a map marker takes the focus and Enter brings its card into view, focused.
        var marker = page.Locator($"#map .marker[data-subject='pegel/{TestTown.StageGauge}']");
        await marker.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"article[data-subject='pegel/{TestTown.StageGauge}']")).ToBeFocusedAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_at_desktop_and_phone_width_are_saved_as_test_artifacts()
    {
        await Town.Level(TestTown.StageGauge, 128);
        await Town.Position(TestTown.Bus, 52.027, 8.907, 340);
        var paths = new List<string>();
        foreach (var (name, width, height) in new[] { ("desktop", 1400, 1000), ("phone", 390, 844) })
        {
            var page = await fixture.OpenDashboard(width, height);
            await Expect(page.Locator($"#buses li[data-subject='bus/{TestTown.Bus}']")).ToHaveAttributeAsync("data-delay", "340", new() { Timeout = 5000 });
            var path = Path.Combine(DashboardFixture.Artifacts, $"dashboard-{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            paths.Add(path);
            await page.CloseAsync();
        }
        foreach (var path in paths)
        {
            Assert.True(new FileInfo(path).Length > 10_000, $"{path} has content");
            output.WriteLine("screenshot: " + path);
            Console.WriteLine("[browser] screenshot: " + path);
        }
    }
}
