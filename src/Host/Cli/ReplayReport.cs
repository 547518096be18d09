using System.Text.Json;
using Confluent.Kafka;

namespace Streams.Host.Cli;

/// <summary>
/// The backtest behind `--report`: reads the alerts topic from the beginning, keeps the alerts of the replayed
/// subjects (deduplicated by CloudEvent id, so a re-run counts nothing twice) and tallies them per subject and rule.
/// Reading stops once no new alert for those subjects has arrived for the settle time.
/// </summary>
internal static class ReplayReport
{
    public sealed record Line(string Subject, string Rule, int Raised, int Cleared, DateTimeOffset First, DateTimeOffset Last, bool OpenAtEnd);

    private sealed record Alert(string Subject, string Rule, bool Raised, DateTimeOffset Time);

    public static IReadOnlyList<Line> Collect(ReplayKafkaTarget.Target target, string alertsTopic, IReadOnlySet<string> subjects,
        DateTimeOffset since, TimeSpan settle, CancellationToken cancel)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = target.BootstrapServers,
            GroupId = $"streams-replay-report-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        foreach (var (k, v) in target.Properties) config.Set(k, v);
        var adminConfig = new AdminClientConfig { BootstrapServers = target.BootstrapServers };
        foreach (var (k, v) in target.Properties) adminConfig.Set(k, v);
        using var admin = new AdminClientBuilder(adminConfig).Build();
        var partitions = admin.GetMetadata(alertsTopic, TimeSpan.FromSeconds(10)).Topics.SelectMany(t => t.Partitions)
            .Select(p => new TopicPartitionOffset(alertsTopic, p.PartitionId, Offset.Beginning)).ToList();
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(partitions);

        var alerts = new Dictionary<string, Alert>();
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < settle && !cancel.IsCancellationRequested)
        {
            var message = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (message?.Message?.Value is not { } value) continue;
            var (id, alert) = Parse(value);
            if (alert is null || !subjects.Contains(alert.Subject) || alert.Time < since || !alerts.TryAdd(id, alert)) continue;
            quietSince = DateTime.UtcNow;
        }
        consumer.Close();

        return alerts.Values.GroupBy(a => (a.Subject, a.Rule)).OrderBy(g => g.Key.Subject).ThenBy(g => g.Key.Rule, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(a => a.Time).ThenBy(a => a.Raised ? 0 : 1).ToList();
                return new Line(g.Key.Subject, g.Key.Rule, ordered.Count(a => a.Raised), ordered.Count(a => !a.Raised),
                    ordered[0].Time, ordered[^1].Time, ordered[^1].Raised);
            }).ToList();
    }

    public static void Print(TextWriter output, IReadOnlyList<Line> lines)
    {
        output.WriteLine($"[replay] report: {lines.Sum(l => l.Raised)} raised, {lines.Sum(l => l.Cleared)} cleared, over {lines.Select(l => l.Subject).Distinct().Count()} subjects");
        output.WriteLine($"  {"subject",-50} {"rule",-18} {"raised",6} {"cleared",7}  {"first",-25} {"last",-25} open");
        foreach (var l in lines)
            output.WriteLine($"  {l.Subject,-50} {l.Rule,-18} {l.Raised,6} {l.Cleared,7}  {l.First:yyyy-MM-ddTHH:mm:sszzz}  {l.Last:yyyy-MM-ddTHH:mm:sszzz}  {(l.OpenAtEnd ? "yes" : "no")}");
    }

    private static (string Id, Alert? Alert) Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var data = root.GetProperty("data");
            return (root.GetProperty("id").GetString()!, new Alert(root.GetProperty("subject").GetString()!, data.GetProperty("rule").GetString()!,
                data.GetProperty("state").GetString() == "raised", root.GetProperty("time").GetDateTimeOffset()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return ("", null);
        }
    }
}
