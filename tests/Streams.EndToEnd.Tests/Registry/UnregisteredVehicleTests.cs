using System.Text.Json;

namespace Streams.EndToEnd.Tests.Registry;

/// <summary>
/// A vehicle without a registry entry is placed by the municipality boundaries (contract) and counts there while it
/// is live, also after a crash: its membership is journaled by the municipality, not rebuilt from the registry.
/// (That it leaves after 24 hours stale is shown at the actor level, with a short retention.)
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UnregisteredVehicleTests : IAsyncLifetime
{
    private const string Lemgo = "05766044";
    private const string Boundary = """{"type":"Polygon","coordinates":[[[8.8,51.9],[9.0,51.9],[9.0,52.1],[8.8,52.1],[8.8,51.9]]]}""";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-ghostbus-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    public Task InitializeAsync()
    {
        Kcat.EnsureInstalled();
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
            [($"municipality/{Lemgo}", $$"""{"kind":"municipality","id":"{{Lemgo}}","name":"Lemgo","boundary":{{Boundary}}}""")]);
        return Task.CompletedTask;
    }

    private int Vehicles() => Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates").Where(r => r.Key == Lemgo)
        .Select(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("bus").GetProperty("vehicles").GetInt32())
        .LastOrDefault(-1);

    [Fact]
    public async Task An_unregistered_bus_inside_a_boundary_counts_in_that_municipality_and_still_counts_after_a_kill_9()
    {
        var settings = _kafka.HostSettings(Path.Combine(_workDir, "data"));
        var first = HostProcess.Start(_workDir, settings);
        await first.WaitUntilReady(TimeSpan.FromSeconds(60));
        var at = DateTimeOffset.UtcNow.AddSeconds(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        Kcat.Produce(_kafka.Bootstrap, "streams.bus", [("ghost-1", $$"""{"vehicleId":"ghost-1","observedAt":"{{at}}","lat":52.0,"lon":8.9,"delaySeconds":60}""")]);
        await first.Eventually(() => Task.FromResult(Vehicles() == 1), TimeSpan.FromSeconds(30), "the unregistered bus counted in Lemgo");
        first.Kill();
        await first.WaitForExit(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        var before = Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates").Count(r => r.Key == Lemgo);

        await using var second = HostProcess.Start(_workDir, settings);
        await second.WaitUntilReady(TimeSpan.FromSeconds(60));

        await second.Eventually(() => Task.FromResult(Kcat.ConsumeAll(_kafka.Bootstrap, "streams.aggregates").Count(r => r.Key == Lemgo) > before),
            TimeSpan.FromSeconds(45), "an aggregate after the restart, with no new reading");
        Assert.Equal(1, Vehicles());
        var municipality = await second.GetJson($"/api/municipalities/{Lemgo}");
        Assert.Equal(1, municipality.GetProperty("bus").GetProperty("vehicles").GetInt32());
    }

    public Task DisposeAsync()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
