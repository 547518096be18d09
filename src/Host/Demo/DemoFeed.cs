using System.Text.Json;
using Confluent.Kafka;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Host.Demo;

/// <summary>
/// Writes the demo registry and then a continuous, plausible feed of readings, like a municipal sensor gateway would,
/// including now and then a bad record so dead letters can be seen too. A plain Kafka producer: it uses only the
/// wire contract, nothing inside the processor.
/// </summary>
public sealed class DemoFeed(StreamsOptions options, KafkaConnection kafka, ILogger<DemoFeed> logger) : BackgroundService
{
    private readonly Random _random = new(20261125);
    private readonly Dictionary<string, double> _levels = DemoRegistry.Gauges.ToDictionary(g => g.Id, g => g.BaseCm);
    private readonly Dictionary<string, double> _occupancy = DemoRegistry.CarParks.ToDictionary(c => c.Id, _ => 0.6);
    private readonly Dictionary<string, (double Lat, double Lon, int Delay)> _buses =
        DemoRegistry.Buses.ToDictionary(b => b.Id, b => (b.Lat, b.Lon, 0));
    private long _sent;
    private DateTimeOffset _lastObservedAt;

    public static bool IsEnabled(StreamsOptions options) => options.Demo.Enabled ?? options.Kafka.IsEmbedded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var config = new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 };
        foreach (var (k, v) in kafka.Properties) config.Set(k, v);
        using var producer = new ProducerBuilder<string, string?>(config).Build();
        var t = options.Topics;

        foreach (var (id, name) in DemoRegistry.Municipalities)
            await Send(producer, t.Registry, $"municipality/{id}", Json(new
            {
                kind = "municipality", id, name, boundary = new { type = "Polygon", coordinates = new[] { DemoRegistry.Outlines[id] } },
            }));
        foreach (var g in DemoRegistry.Gauges)
            await Send(producer, t.Registry, $"pegel/{g.Id}", Json(new
            {
                kind = "pegel", id = g.Id, municipality = g.Municipality, name = g.Name, water = g.Water, lat = g.Lat, lon = g.Lon,
                stagesCm = g.StagesCm, hysteresisCm = 5, riseCmPerHour = g.RiseCmPerHour, expectedIntervalSeconds = 60,
            }));
        foreach (var c in DemoRegistry.CarParks)
            await Send(producer, t.Registry, $"parking/{c.Id}", Json(new
            {
                kind = "parking", id = c.Id, municipality = c.Municipality, name = c.Name, capacity = c.Capacity, lat = c.Lat, lon = c.Lon,
                expectedIntervalSeconds = 60,
            }));
        foreach (var b in DemoRegistry.Buses)
            await Send(producer, t.Registry, $"bus/{b.Id}", Json(new
            {
                kind = "bus", id = b.Id, municipality = b.Municipality, delayAlertSeconds = 300, delayClearSeconds = 180, expectedIntervalSeconds = 60,
            }));
        logger.LogInformation("Demo feed: registry written ({Count} entries), now ~{Rate} readings/s with an occasional bad record",
            DemoRegistry.Municipalities.Length + DemoRegistry.Gauges.Length + DemoRegistry.CarParks.Length + DemoRegistry.Buses.Length,
            options.Demo.ReadingsPerSecond);

        var interval = TimeSpan.FromSeconds(1.0 / Math.Max(0.1, options.Demo.ReadingsPerSecond));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var (topic, key, value) = NextRecord(NextObservedAt(DateTimeOffset.UtcNow));
                producer.Produce(topic, new Message<string, string?> { Key = key, Value = value }, report =>
                {
                    if (report.Error.IsError) logger.LogWarning("Demo feed: delivery failed: {Reason}", report.Error.Reason);
                });
            }
        }
        catch (OperationCanceledException) { }
        producer.Flush(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Strictly increasing at the millisecond precision of observedAt: a late timer tick followed by an on-time one
    /// can fall in one millisecond, and two readings of one subject with the same observedAt are a duplicate.
    /// </summary>
    private DateTimeOffset NextObservedAt(DateTimeOffset now)
    {
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, now.Offset);
        if (now <= _lastObservedAt) now = _lastObservedAt.AddMilliseconds(1);
        return _lastObservedAt = now;
    }

    private (string Topic, string Key, string Value) NextRecord(DateTimeOffset now)
    {
        var t = options.Topics;
        var observedAt = now.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        _sent++;
        if (_sent % 97 == 0) return BadRecord(observedAt);

        switch (_random.Next(3))
        {
            case 0:
                var g = DemoRegistry.Gauges[_random.Next(DemoRegistry.Gauges.Length)];
                // A slow wave around the base level, with noise: stages are reached now and then.
                var phase = (now.ToUnixTimeSeconds() % 1800) / 1800.0 * 2 * Math.PI;
                var target = g.BaseCm + (g.StagesCm[^1] - g.BaseCm) * 0.9 * Math.Max(0, Math.Sin(phase));
                _levels[g.Id] += (target - _levels[g.Id]) * 0.3 + (_random.NextDouble() - 0.5) * 2;
                return (t.Pegel, g.Id, Json(new { stationId = g.Id, observedAt, levelCm = Math.Round(_levels[g.Id], 1) }));
            case 1:
                var c = DemoRegistry.CarParks[_random.Next(DemoRegistry.CarParks.Length)];
                var o = DemoRegistry.FillsUp.Contains(c.Id)
                    // Fills up and empties again every 10 minutes: almost-full and full are raised and cleared.
                    ? Math.Clamp(0.75 + 0.3 * Math.Sin(now.ToUnixTimeSeconds() % 600 / 600.0 * 2 * Math.PI), 0, 1)
                    : Math.Clamp(_occupancy[c.Id] + (_random.NextDouble() - 0.45) * 0.08, 0, 1);
                _occupancy[c.Id] = o;
                var free = c.Capacity - (int)Math.Round(o * c.Capacity);
                return (t.Parking, c.Id, Json(new { facilityId = c.Id, observedAt, free, capacity = c.Capacity }));
            default:
                var b = DemoRegistry.Buses[_random.Next(DemoRegistry.Buses.Length)];
                // One bus goes silent for 4 minutes of every 10: sensor.stale is raised after 3 × 60 s and cleared on its return.
                if (b.Id == DemoRegistry.GoesSilent && now.ToUnixTimeSeconds() % 600 >= 360) b = DemoRegistry.Buses[0];
                var (lat, lon, delay) = _buses[b.Id];
                lat += (_random.NextDouble() - 0.5) * 0.002;
                lon += (_random.NextDouble() - 0.5) * 0.002;
                delay = Math.Max(-60, delay + _random.Next(-40, 60));
                if (delay > 600) delay = 100;
                _buses[b.Id] = (lat, lon, delay);
                return (t.Bus, b.Id, Json(new
                {
                    vehicleId = b.Id, observedAt, lat = Math.Round(lat, 5), lon = Math.Round(lon, 5), routeId = b.Route,
                    delaySeconds = delay, speedMps = Math.Round(_random.NextDouble() * 12, 1),
                }));
        }
    }

    private (string, string, string) BadRecord(string observedAt)
    {
        var t = options.Topics;
        return (_sent / 97 % 4) switch
        {
            0 => (t.Pegel, "4621900000100", "{\"stationId\":\"4621900000100\",\"observedAt\":"),
            1 => (t.Pegel, "4621900000100", Json(new { stationId = "4621900000100", observedAt, levelCm = "abc" })),
            2 => (t.Parking, "lemgo-p1", Json(new { facilityId = "lemgo-p1", observedAt, free = -5 })),
            _ => (t.Pegel, "no-such-gauge", Json(new { stationId = "no-such-gauge", observedAt, levelCm = 100.0 })),
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static async Task Send(IProducer<string, string?> producer, string topic, string key, string value) =>
        await producer.ProduceAsync(topic, new Message<string, string?> { Key = key, Value = value });
}
