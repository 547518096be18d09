using System.Collections.Concurrent;
using System.Diagnostics;
using Streams.Bench.Host;
using Streams.Bench.Kafka;
using Streams.Bench.Load;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>
/// What every pass sets up: a fresh embedded Kafka with the run's topics and the registry written, the load writer,
/// the watch on the host group's committed offsets and the alerts topic, and one clock for all of it.
/// </summary>
public sealed class Rig : IDisposable
{
    private readonly BenchCluster _cluster;

    public Rig(PassPlan plan)
    {
        Plan = plan;
        Clock = Stopwatch.StartNew();
        Topology = new Topology(plan.Catalog, plan.Readings, plan.AlertEvery);
        _cluster = BenchCluster.Start(Topology);
        WriteTimes = plan.MeasureLatency ? new WriteTimes() : null;
        var causes = plan.MeasureLatency ? new ConcurrentDictionary<(string, long), long>() : null;
        Writer = new LoadWriter(_cluster.BootstrapServers, Topology) { WriteTimes = WriteTimes, AlertCauses = causes };
        Factory = new ReadingFactory(plan.Catalog, plan.Readings, plan.AlertEvery);
        Console.WriteLine($"[bench] {plan.Label}: Kafka {_cluster.BootstrapServers}; partitions: {Topology.Describe()}; run dir {plan.RunDir}");
        Writer.WriteRegistry(plan.Catalog);
        Group = new GroupWatch(_cluster.BootstrapServers, HostUnderTest.GroupId, Topology.ReadingPartitions(),
            TimeSpan.FromMilliseconds(plan.MeasureLatency ? 50 : 250), Clock, WriteTimes);
        Alerts = new AlertWatch(_cluster.BootstrapServers, Topology.AllPartitions(Topology.Alerts), causes);
        Trim = plan.TrimCommitted ? new CommittedTrim(_cluster, Group, TimeSpan.FromMilliseconds(500)) : null;
    }

    public PassPlan Plan { get; }
    public Stopwatch Clock { get; }
    public Topology Topology { get; }
    public LoadWriter Writer { get; }
    public ReadingFactory Factory { get; }
    public GroupWatch Group { get; }
    public AlertWatch Alerts { get; }
    public WriteTimes? WriteTimes { get; }
    public CommittedTrim? Trim { get; }
    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>Starts watching the group's commits and the alerts topic, and deleting what the group committed.</summary>
    public void StartWatching()
    {
        Group.Start();
        Alerts.Start();
        Trim?.Start();
    }

    public HostUnderTest StartHost(string name, IEnumerable<string>? extraSettings = null) =>
        HostUnderTest.Start(Plan.RunDir, name, BootstrapServers, Plan.HostSettings.Concat(extraSettings ?? []), Clock);

    /// <summary>Writes readings <paramref name="from"/>…<paramref name="from"/>+<paramref name="count"/>−1 now, all at once (a backlog).</summary>
    public void Prefill(long from, long count) =>
        Writer.WriteReadings(Factory, from, count, null, long.MaxValue, () => 0, CancellationToken.None);

    /// <summary>Writes readings on a thread of their own, paced by the plan's rate and lead against the group's commits.</summary>
    public Task WriteConcurrently(long from, long count, CancellationToken cancel) =>
        Task.Factory.StartNew(() => Writer.WriteReadings(Factory, from, count, Plan.Rate, Plan.Lead, () => Group.Committed, cancel),
            TaskCreationOptions.LongRunning);

    /// <summary>Waits for the host's first ready (or its exit, or the plan's timeout).</summary>
    public async Task WaitUntilReady(HostUnderTest host)
    {
        var deadline = Clock.Elapsed + Plan.Timeout;
        while (host.FirstReady is null && !host.HasExited && Clock.Elapsed < deadline) await Task.Delay(50);
    }

    /// <summary>
    /// Waits until the group committed <paramref name="target"/> reading records and every written partition to its end
    /// (once <paramref name="writing"/> is done), or <paramref name="stopWhen"/> holds, or the plan's timeout passed; says which.
    /// </summary>
    public async Task<string> WaitUntilCommitted(HostUnderTest? host, long target, Task writing, Func<bool>? stopWhen = null)
    {
        var progress = new ProgressLine(Clock, Plan.ProgressEvery);
        var deadline = Clock.Elapsed + Plan.Timeout;
        while (true)
        {
            if (host is { HasExited: true }) return $"the host exited\n{host.Log.Tail()}";
            if (writing.IsFaulted) throw writing.Exception!;
            if (stopWhen?.Invoke() == true) return "stop condition reached";
            if (writing.IsCompleted && Group.Committed >= target && Group.AllCommitted(Writer.EndOffsets)) return "all committed";
            if (Clock.Elapsed > deadline) return $"TIMED OUT after {Plan.Timeout.TotalSeconds:N0} s";
            progress.MaybePrint(Plan.Label, host, Group, Writer, Plan.Readings);
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The reference over every reading record written, with the host already gone. When the pass deleted what the
    /// host committed, the same records are first written again, at once, to the same partitions.
    /// </summary>
    public void RunBareLoop(Figures f)
    {
        var written = Writer.Delivered;
        if (Trim is not null)
        {
            Trim.StopAndTrim();
            var clock = Stopwatch.StartNew();
            using var copy = new LoadWriter(BootstrapServers, Topology);
            copy.WriteReadings(Factory, 0, written, null, long.MaxValue, () => 0, CancellationToken.None);
            Console.WriteLine($"[bench] {Plan.Label}: {Trim.Deleted:N0} committed records were deleted during the pass; the bare loop reads a copy of the {written:N0} readings, written again in {clock.Elapsed.TotalSeconds:F1} s");
            f.Add("committed_records_deleted", Trim.Deleted, "");
        }
        var bare = BareLoop.Run(BootstrapServers, Topology.ReadingPartitions(), written);
        Console.WriteLine($"[bench] {Plan.Label}: bare loop read {bare.Records:N0} records ({bare.Passes} pass(es) over the {written:N0} written) in {bare.Seconds:F2} s; median pass {bare.RecordsPerSecond:N0} records/s");
        f.Add("bare_records", bare.Records, "");
        f.Add("bare_passes", bare.Passes, "");
        f.Add("bare_parse_errors", bare.ParseErrors, "");
        f.Add("bare_records_per_s", bare.RecordsPerSecond, "/s");
    }

    /// <summary>Alert counts and the latency distributions (when measured), after reading the alerts topic to its end.</summary>
    public void AddAlertFigures(Figures f)
    {
        Alerts.CatchUp(TimeSpan.FromSeconds(5));
        f.Add("alerts_expected", Writer.AlertCausing, "");
        HostFigures.AddAlerts(f, Alerts);
        if (!Plan.MeasureLatency) return;
        // The steady figures leave out what was written during the warm-up (the host's first seconds of work: its code
        // is compiled on first use, its connections and buffers are set up).
        long? steadyFrom = WriteTimes is { FirstWrittenAtMs: var first and < long.MaxValue } ? first + (long)Plan.LatencyWarmUp.TotalMilliseconds : null;
        Alerts.ToAlert.AddTo(f, "alert_latency", steadyFrom);
        WriteTimes?.ToCommit.AddTo(f, "commit_latency", steadyFrom);
    }

    public void Dispose()
    {
        Trim?.Dispose();
        Alerts.Dispose();
        Group.Dispose();
        Writer.Dispose();
        _cluster.Dispose();
    }
}
