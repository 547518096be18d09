using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using Streams.Actors.Kafka;

// Throughput of the readings pipeline (validate → sharded entity → persisted → committed) against a bare
// Confluent.Kafka consume-and-commit loop over the same records, in the same run, on the same embedded Kafka.
//
//   dotnet run -c Release --project bench/Streams.Bench -- [readings] [stations]
var readings = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var stations = args.Length > 1 ? int.Parse(args[1]) : 1_000;
const string Topic = "streams.pegel";

using var kafka = EmbeddedKafka.Start(1);
kafka.CreateTopic(Topic, 8);
kafka.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
foreach (var t in new[] { "streams.parking", "streams.bus" }) kafka.CreateTopic(t, 8);
foreach (var t in new[] { "streams.registry", "streams.alerts", "streams.aggregates", "streams.deadletter" }) kafka.CreateTopic(t, 4);
Console.WriteLine($"embedded Kafka at {kafka.BootstrapServers}; {readings:N0} pegel readings over {stations:N0} stations, 8 partitions");

using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
       { BootstrapServers = kafka.BootstrapServers, LingerMs = 20, EnableIdempotence = true, Acks = Acks.All }).Build())
{
    producer.Produce("streams.registry", new Message<string, string> { Key = "municipality/05766044", Value = """{"kind":"municipality","id":"05766044","name":"Lemgo"}""" });
    for (var s = 0; s < stations; s++)
        producer.Produce("streams.registry", new Message<string, string>
        {
            Key = $"pegel/g{s}",
            Value = $$"""{"kind":"pegel","id":"g{{s}}","municipality":"05766044","stagesCm":[150,200,230],"hysteresisCm":10,"expectedIntervalSeconds":86400}""",
        });
    var start = DateTimeOffset.UtcNow.AddDays(-2);
    for (var i = 0; i < readings; i++)
    {
        var station = i % stations;
        var at = start.AddSeconds(i / stations * 60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        // Each station's level swings between 40 and 240 cm over 40 readings: stages 1–3 are raised and cleared.
        var level = 140 + 100 * Math.Sin(i / stations * 2 * Math.PI / 40.0);
        producer.Produce(Topic, new Message<string, string>
        {
            Key = $"g{station}",
            Value = $$"""{"stationId":"g{{station}}","observedAt":"{{at}}","levelCm":{{level:F1}}}""",
        });
        if (i % 10_000 == 0) producer.Poll(TimeSpan.Zero);
    }
    producer.Flush(TimeSpan.FromMinutes(2));
}
Console.WriteLine("records written");

// 1. Bare loop: consume every record and commit, nothing else.
var bare = Stopwatch.StartNew();
using (var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
       {
           BootstrapServers = kafka.BootstrapServers, GroupId = "bench-bare", AutoOffsetReset = AutoOffsetReset.Earliest,
           EnableAutoCommit = false,
       }).Build())
{
    consumer.Subscribe(Topic);
    var n = 0;
    var first = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("bare loop got nothing");
    bare.Restart(); // measure consuming, not joining the group
    n++;
    while (n < readings)
    {
        var r = consumer.Consume(TimeSpan.FromSeconds(10));
        if (r is null) throw new TimeoutException($"bare loop stalled at {n}");
        if (r.IsPartitionEOF) continue;
        n++;
        if (n % 1000 == 0) consumer.Commit();
    }
    try { consumer.Commit(); }
    catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset) { } // everything was committed already
    consumer.Close();
}
bare.Stop();
var bareRate = readings / bare.Elapsed.TotalSeconds;
Console.WriteLine($"bare Confluent.Kafka consume+commit loop: {readings:N0} in {bare.Elapsed.TotalSeconds:F1} s = {bareRate:N0} records/s");

// 2. The streams host as a child process on the same Kafka: time until every reading is committed by its group.
var dataDir = Path.Combine(Path.GetTempPath(), "streams-bench-" + Guid.NewGuid().ToString("N")[..8]);
var port = FreePort();
var hostDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Host", "bin",
    Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0", "streams.dll");
var psi = new ProcessStartInfo("dotnet")
{
    ArgumentList =
    {
        Path.GetFullPath(hostDll), $"--urls=http://127.0.0.1:{port}", $"--Streams:Kafka:BootstrapServers={kafka.BootstrapServers}",
        $"--Streams:DataDir={dataDir}", "--Streams:Demo:Enabled=false", "--Streams:Kafka:GroupId=bench-streams",
        "--Logging:LogLevel:Default=Warning",
    },
    // Extra host settings for experiments, e.g. STREAMS_BENCH_HOST_ARGS="--Streams:Pipeline:Parallelism=64"

    RedirectStandardOutput = true,
    UseShellExecute = false,
};
foreach (var extra in (Environment.GetEnvironmentVariable("STREAMS_BENCH_HOST_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
    psi.ArgumentList.Add(extra);
using var host = Process.Start(psi)!;
host.OutputDataReceived += (_, e) => { if (e.Data is not null && e.Data.Contains("[streams] consumed")) Console.WriteLine("  " + e.Data); };
host.BeginOutputReadLine();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
var pipeline = Stopwatch.StartNew();
using var probe = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "bench-streams" }).Build();
var partitions = Enumerable.Range(0, 8).Select(p => new TopicPartition(Topic, p)).ToList();
var ends = partitions.ToDictionary(p => p, p => probe.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
TimeSpan? readyAt = null;
while (true)
{
    if (host.HasExited) throw new InvalidOperationException($"host exited with {host.ExitCode}");
    if (readyAt is null)
    {
        try
        {
            if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode) readyAt = pipeline.Elapsed;
        }
        catch (HttpRequestException) { }
    }
    var committed = probe.Committed(partitions, TimeSpan.FromSeconds(10));
    if (committed.All(c => c.Offset.Value >= ends[c.TopicPartition])) break;
    await Task.Delay(100);
}
pipeline.Stop();
var status = JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement;
var processing = pipeline.Elapsed - (readyAt ?? TimeSpan.Zero);
var pipelineRate = readings / processing.TotalSeconds;
Console.WriteLine($"streams pipeline (validate → entity → SQLite journal → commit): {readings:N0} committed in {processing.TotalSeconds:F1} s after ready "
                  + $"(start to ready {readyAt?.TotalSeconds:F1} s) = {pipelineRate:N0} readings/s; applied={status.GetProperty("applied")}, alerts={status.GetProperty("alerts")}");
Console.WriteLine($"ratio pipeline / bare loop = {pipelineRate / bareRate:P1}");
host.Kill(entireProcessTree: true);
host.WaitForExit();
try { Directory.Delete(dataDir, true); } catch (IOException) { }
return 0;

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}
