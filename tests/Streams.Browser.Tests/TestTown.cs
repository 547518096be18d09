using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;

namespace Streams.Browser.Tests;

/// <summary>
/// The registry the browser tests run against (two municipalities, gauges, car parks, a bus) and a producer that
/// writes readings to Kafka as a sensor gateway would.
/// </summary>
public sealed class TestTown : IDisposable
{
    public const string Lemgo = "05766044";
    public const string Kaiserslautern = "07312000";
    public const string StageGauge = "bega-stage";     // stages 100/150/200 cm
    public const string LatencyGauge = "bega-latency"; // stage 1 at 5000 cm: readings raise nothing
    public const string FillingCarPark = "p-full";     // 40 spaces
    public const string SilentCarPark = "p-stale";     // expected every 2 s: stale after 6 s of silence
    public const string Bus = "bus-7";

    private readonly IProducer<string, string?> _producer;
    private readonly Dictionary<string, DateTimeOffset> _lastObserved = new();

    public TestTown(string bootstrap)
    {
        _producer = new ProducerBuilder<string, string?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 0,
        }).Build();
    }

    public async Task WriteRegistry()
    {
        await Registry($"municipality/{Lemgo}", new { kind = "municipality", id = Lemgo, name = "Lemgo", boundary = Square(52.025, 8.905, 0.02) });
        await Registry($"municipality/{Kaiserslautern}", new
        {
            kind = "municipality", id = Kaiserslautern, name = "Kaiserslautern", boundary = Square(49.4447, 7.7689, 0.02),
        });
        await Registry($"pegel/{StageGauge}", new
        {
            kind = "pegel", id = StageGauge, municipality = Lemgo, name = "Bega Stage", water = "Bega", lat = 52.021, lon = 8.905,
            stagesCm = new[] { 100, 150, 200 }, hysteresisCm = 5, expectedIntervalSeconds = 600,
        });
        await Registry($"pegel/{LatencyGauge}", new
        {
            kind = "pegel", id = LatencyGauge, municipality = Lemgo, name = "Bega Latency", water = "Bega", lat = 52.028, lon = 8.915,
            stagesCm = new[] { 5000 }, expectedIntervalSeconds = 600,
        });
        await Registry($"parking/{FillingCarPark}", new
        {
            kind = "parking", id = FillingCarPark, municipality = Lemgo, name = "P Fills Up", capacity = 40, lat = 52.030, lon = 8.898,
            expectedIntervalSeconds = 600,
        });
        await Registry($"parking/{SilentCarPark}", new
        {
            kind = "parking", id = SilentCarPark, municipality = Lemgo, name = "P Goes Silent", capacity = 100, lat = 52.025, lon = 8.890,
            expectedIntervalSeconds = 2,
        });
        await Registry($"bus/{Bus}", new { kind = "bus", id = Bus, municipality = Lemgo, expectedIntervalSeconds = 600 });
        await Registry("pegel/lauter-1", new
        {
            kind = "pegel", id = "lauter-1", municipality = Kaiserslautern, name = "Lauter", water = "Lauter", lat = 49.4447, lon = 7.7689,
            stagesCm = new[] { 120, 160, 200 }, expectedIntervalSeconds = 600,
        });
    }

    public Task Level(string gauge, double levelCm) =>
        Reading("streams.pegel", gauge, at => new { stationId = gauge, observedAt = at, levelCm });

    public Task Parking(string facility, int free, int capacity) =>
        Reading("streams.parking", facility, at => new { facilityId = facility, observedAt = at, free, capacity });

    public Task Position(string vehicle, double lat, double lon, int delaySeconds) =>
        Reading("streams.bus", vehicle, at => new { vehicleId = vehicle, observedAt = at, lat, lon, delaySeconds, routeId = "L7" });

    private async Task Reading(string topic, string key, Func<string, object> value)
    {
        // observedAt must grow per subject; two readings within a millisecond would be duplicates.
        var now = DateTimeOffset.UtcNow;
        if (_lastObserved.TryGetValue(key, out var last) && now <= last) now = last.AddMilliseconds(1);
        _lastObserved[key] = now;
        var at = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        await _producer.ProduceAsync(topic, new Message<string, string?> { Key = key, Value = JsonSerializer.Serialize(value(at)) });
    }

    private Task Registry(string key, object entry) =>
        _producer.ProduceAsync("streams.registry", new Message<string, string?> { Key = key, Value = JsonSerializer.Serialize(entry) });

    private static object Square(double lat, double lon, double half) => new
    {
        type = "Polygon",
        coordinates = new[]
        {
            new[]
            {
                new[] { lon - half, lat - half }, new[] { lon + half, lat - half }, new[] { lon + half, lat + half },
                new[] { lon - half, lat + half }, new[] { lon - half, lat - half },
            },
        },
    };

    public void Dispose() => _producer.Dispose();
}
