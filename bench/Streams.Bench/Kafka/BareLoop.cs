using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;

namespace Streams.Bench.Kafka;

/// <summary>
/// The reference: the plainest correct Confluent.Kafka consumer over the same reading partitions and records: consume,
/// parse the JSON value (every token, with the subject id read out, as a consumer must at least do), store the offset
/// for the background auto-commit. The partitions are assigned (from the beginning), not subscribed: a group's
/// rebalances in the middle of a small pass made the timing jump by 100×. Timed from its first record to its last.
/// </summary>
public static class BareLoop
{
    /// <param name="RecordsPerSecond">The median of the passes' rates: one pass that the loaded machine descheduled
    /// for a second must not decide the reference.</param>
    public sealed record Result(long Records, double Seconds, long ParseErrors, int Passes, double RecordsPerSecond);

    /// <summary>Passes that are always made: single passes on this VM ranged from 190,000 to 560,000 records/s within
    /// one run, and a median of two or three of them (large runs) moved the ratio by a factor of three.</summary>
    public const int MinimumPasses = 5;

    /// <summary>
    /// Reads all <paramref name="expected"/> records, again with a fresh group while fewer than
    /// <see cref="MinimumPasses"/> were made or the measured time is under <paramref name="minimumSeconds"/> (a small
    /// run's records take milliseconds: too short to time), at most 20 passes.
    /// </summary>
    public static Result Run(string bootstrapServers, IReadOnlyList<TopicPartition> partitions, long expected, double minimumSeconds = 2)
    {
        var passes = new List<Result>();
        while ((passes.Count < MinimumPasses || passes.Sum(p => p.Seconds) < minimumSeconds) && passes.Count < 20)
        {
            var pass = Pass(bootstrapServers, partitions, expected);
            passes.Add(pass);
            if (pass.Records < expected) break; // stalled: report what was read
        }
        var rates = passes.Select(p => p.RecordsPerSecond).Order().ToList();
        return new Result(passes.Sum(p => p.Records), passes.Sum(p => p.Seconds), passes.Sum(p => p.ParseErrors), passes.Count,
            rates[rates.Count / 2]);
    }

    private static Result Pass(string bootstrapServers, IReadOnlyList<TopicPartition> partitions, long expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers, GroupId = "bench-bare-" + Guid.NewGuid().ToString("N")[..8],
            AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = true, EnableAutoOffsetStore = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var clock = new Stopwatch();
        long n = 0, errors = 0, idLength = 0;
        while (n < expected)
        {
            var r = consumer.Consume(TimeSpan.FromSeconds(n == 0 ? 30 : 10));
            if (r is null) break;
            if (r.IsPartitionEOF) continue;
            if (n == 0) clock.Start();
            n++;
            if (Parse(r.Message.Value, out var id)) idLength += id.Length;
            else errors++;
            consumer.StoreOffset(r);
        }
        clock.Stop();
        consumer.Close();
        GC.KeepAlive(idLength);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(n, seconds, errors, 1, seconds > 0 ? n / seconds : 0);
    }

    private static bool Parse(byte[] value, out string id)
    {
        id = "";
        try
        {
            var reader = new Utf8JsonReader(value);
            var depth1Property = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    depth1Property = reader.ValueTextEquals("stationId"u8) || reader.ValueTextEquals("facilityId"u8) || reader.ValueTextEquals("vehicleId"u8);
                else if (depth1Property && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString() ?? "";
                    depth1Property = false;
                }
                else depth1Property = false;
            }
            return id.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
