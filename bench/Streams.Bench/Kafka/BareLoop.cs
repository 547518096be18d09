using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;

namespace Streams.Bench.Kafka;

/// <summary>
/// The reference: the plainest correct Confluent.Kafka consumer over the same reading topics and records: consume,
/// parse the JSON value (every token, with the subject id read out, as a consumer must at least do), store the offset
/// for the background auto-commit. Timed from its first record to its last, so joining the group is not counted.
/// </summary>
public static class BareLoop
{
    public sealed record Result(long Records, double Seconds, long ParseErrors, int Passes)
    {
        public double RecordsPerSecond => Seconds > 0 ? Records / Seconds : 0;
    }

    /// <summary>
    /// Reads all <paramref name="expected"/> records, again with a fresh group while the measured time is under
    /// <paramref name="minimumSeconds"/> (a small run's records take milliseconds: too short to time), at most 20 passes.
    /// </summary>
    public static Result Run(string bootstrapServers, IEnumerable<string> topics, long expected, double minimumSeconds = 2)
    {
        var total = new Result(0, 0, 0, 0);
        while (total.Seconds < minimumSeconds && total.Passes < 20)
        {
            var pass = Pass(bootstrapServers, topics, expected);
            total = new Result(total.Records + pass.Records, total.Seconds + pass.Seconds, total.ParseErrors + pass.ParseErrors, total.Passes + 1);
            if (pass.Records < expected) break; // stalled: report what was read
        }
        return total;
    }

    private static Result Pass(string bootstrapServers, IEnumerable<string> topics, long expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers, GroupId = "bench-bare-" + Guid.NewGuid().ToString("N")[..8],
            AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = true, EnableAutoOffsetStore = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topics);
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
        return new Result(n, clock.Elapsed.TotalSeconds, errors, 1);
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
