using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Host.Dashboard;

/// <summary>
/// The dashboard reads what alerting systems and dashboards read: the alerts and aggregates topics. It keeps the most
/// recent alerts and the latest aggregate of each municipality in memory, and hands every record to
/// <see cref="Received"/> (this node's one subscription, which the live stream fans out). No consumer group, no commits.
/// </summary>
public sealed class OutputsFeed(StreamsOptions options, KafkaConnection kafka, ILogger<OutputsFeed> logger) : BackgroundService
{
    private const int RecentAlerts = 1000;
    private readonly ConcurrentQueue<JsonElement> _alerts = new();
    private readonly ConcurrentDictionary<string, JsonElement> _aggregates = new();
    // The latest event per (subject, rule): describes an open episode (severity, message) that the entity knows only by rule.
    private readonly ConcurrentDictionary<(string Subject, string Rule), JsonElement> _latestByRule = new();

    /// <summary>Called on the feed's thread for every record read; handlers must not block.</summary>
    public event Action<OutputRecord>? Received;

    /// <summary>Newest first.</summary>
    public IReadOnlyList<JsonElement> Alerts => _alerts.Reverse().ToList();

    /// <summary>The latest alert event of this subject and rule seen on the topic, if still remembered.</summary>
    public JsonElement? LatestAlert(string subject, string rule) =>
        _latestByRule.TryGetValue((subject, rule), out var e) ? e : null;

    public IReadOnlyList<JsonElement> Aggregates => _aggregates.OrderBy(a => a.Key).Select(a => a.Value).ToList();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task Run(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "streams-dashboard", // required by the client; never joined: partitions are assigned by hand
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // What this feed reads goes live to browsers: do not let the broker hold a fetch for the default 500 ms.
            FetchWaitMaxMs = 50,
        };
        foreach (var (k, v) in kafka.Properties) config.Set(k, v);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var consumer = new ConsumerBuilder<Ignore, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
                consumer.Assign(Partitions(options.Topics.Alerts).Concat(Partitions(options.Topics.Aggregates))
                    .Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
                while (!stoppingToken.IsCancellationRequested)
                {
                    var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
                    if (record?.Message?.Value is not { } value) continue;
                    try
                    {
                        Apply(record.Topic, value);
                    }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
                    {
                        // Not ours to reject (the topic is an output); starting over would only meet the record again.
                        logger.LogWarning("Dashboard feed: skipped {TopicPartitionOffset}, not an alert or aggregate: {Error}",
                            record.TopicPartitionOffset, ex.Message);
                    }
                }
            }
            catch (KafkaException ex)
            {
                logger.LogWarning("Dashboard feed: {Error}; retrying in 5 s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<TopicPartition> Partitions(string topic)
    {
        var adminConfig = new AdminClientConfig { BootstrapServers = kafka.BootstrapServers };
        foreach (var (k, v) in kafka.Properties) adminConfig.Set(k, v);
        using var admin = new AdminClientBuilder(adminConfig).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
    }

    private void Apply(string topic, byte[] value)
    {
        var reader = new Utf8JsonReader(value);
        var json = JsonElement.ParseValue(ref reader); // a copy of its own, kept as long as the feed remembers it
        if (topic == options.Topics.Alerts)
        {
            _alerts.Enqueue(json);
            while (_alerts.Count > RecentAlerts) _alerts.TryDequeue(out _);
            var data = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var d) ? d : default;
            if (Text(json, "subject") is { } subject && Text(data, "rule") is { } rule)
                _latestByRule[(subject, rule)] = json;
            Notify(new OutputRecord(OutputKind.Alert, Text(data, "municipality"), json, value));
        }
        else if (Text(json, "municipality") is { } id)
        {
            _aggregates.AddOrUpdate(id, json, (_, old) => Seq(json) >= Seq(old) ? json : old);
            Notify(new OutputRecord(OutputKind.Aggregate, id, json, value));
        }
    }

    /// <summary>A failing subscriber must not stop the feed.</summary>
    private void Notify(OutputRecord record)
    {
        try
        {
            Received?.Invoke(record);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dashboard feed: a subscriber failed on a {Kind} record", record.Kind);
        }
    }

    private static string? Text(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static long Seq(JsonElement aggregate) => aggregate.TryGetProperty("seq", out var s) ? s.GetInt64() : 0;
}

public enum OutputKind
{
    Alert,
    Aggregate,
}

/// <summary>
/// One record of an output topic; <see cref="Municipality"/> is the one it concerns, <see cref="Utf8"/> the value as
/// it was on the topic.
/// </summary>
public sealed record OutputRecord(OutputKind Kind, string? Municipality, JsonElement Value, ReadOnlyMemory<byte> Utf8);
