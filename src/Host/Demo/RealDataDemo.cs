using Confluent.Kafka;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Host.Demo;

/// <summary>
/// Replays real recordings (<see cref="RealRecordings"/>) in a loop beside the synthetic demo feed. Event time is
/// compressed by <see cref="RealDataDemoOptions.Speed"/> and each loop is placed at the wall-clock time it starts, so
/// every loop is new to Streams (not a duplicate) and the stages the recorded levels cross are raised and cleared again.
/// The levels, capacities and free counts are the recorded ones; only the times are shifted and compressed, and the
/// expected intervals are scaled by the same factor so nothing turns stale that was not silent in the recording.
/// </summary>
public sealed class RealDataDemo(StreamsOptions options, KafkaConnection kafka, IConfiguration configuration, ILogger<RealDataDemo> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = configuration.GetSection(RealDataDemoOptions.Section).Get<RealDataDemoOptions>() ?? new RealDataDemoOptions();
        if (!settings.Enabled || settings.Speed <= 0) return;
        var recordings = RealRecordings.Load(settings, logger);
        if (recordings.Count == 0) return;

        var config = new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 };
        foreach (var (k, v) in kafka.Properties) config.Set(k, v);
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        foreach (var entry in recordings.SelectMany(r => r.Registry))
            await producer.ProduceAsync(options.Topics.Registry,
                new Message<string, byte[]> { Key = entry.Subject, Value = ContractJson.SerializeRegistryEntry(Scaled(entry, settings.Speed)) }, stoppingToken);
        foreach (var r in recordings)
            logger.LogInformation("Real-data demo: {What}: {Readings} readings of {Subjects} subjects ({Rejected} source records rejected), a loop every {Minutes:F1} min at {Speed}x",
                r.What, r.Readings.Count, r.Registry.Count - 1, r.Rejected, (r.Readings[^1].ObservedAt - r.Readings[0].ObservedAt).TotalMinutes / settings.Speed, settings.Speed);

        try
        {
            await Task.WhenAll(recordings.Select(r => Loop(r.Readings, producer, settings.Speed, stoppingToken)));
        }
        catch (OperationCanceledException) { }
        producer.Flush(TimeSpan.FromSeconds(5));
    }

    /// <summary>Plays one recording again and again, each time placed at the wall-clock time the loop starts.</summary>
    private async Task Loop(IReadOnlyList<Reading> timeline, IProducer<string, byte[]> producer, double speed, CancellationToken stoppingToken)
    {
        var start = timeline[0].ObservedAt;
        while (!stoppingToken.IsCancellationRequested)
        {
            var loopStart = DateTimeOffset.UtcNow;
            foreach (var reading in timeline)
            {
                var due = loopStart + (reading.ObservedAt - start) / speed;
                if (due > DateTimeOffset.UtcNow) await Task.Delay(due - DateTimeOffset.UtcNow, stoppingToken);
                var shifted = reading with { ObservedAt = due.ToOffset(reading.ObservedAt.Offset) };
                producer.Produce(TopicOf(shifted), new Message<string, byte[]> { Key = shifted.SubjectId, Value = ContractJson.SerializeReading(shifted) });
            }
        }
    }

    private string TopicOf(Reading reading) => reading switch
    {
        PegelReading => options.Topics.Pegel,
        ParkingReading => options.Topics.Parking,
        _ => options.Topics.Bus,
    };

    private static RegistryEntry Scaled(RegistryEntry entry, double speed) => entry switch
    {
        PegelEntry p => p with { ExpectedIntervalSeconds = ScaledInterval(p.ExpectedIntervalSeconds, speed) },
        ParkingEntry p => p with { ExpectedIntervalSeconds = ScaledInterval(p.ExpectedIntervalSeconds, speed) },
        _ => entry,
    };

    /// <summary>At least 2 s: below that, a busy machine alone would make subjects stale.</summary>
    private static int ScaledInterval(int seconds, double speed) => Math.Max(2, (int)Math.Ceiling(seconds / speed));
}
