using Streams.Bench.Host;
using Streams.Bench.Kafka;
using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>The figures every run takes from the host itself and from the alerts topic.</summary>
public static class HostFigures
{
    /// <summary>/api/status counters, memory, CPU, readiness and the counted log markers of <paramref name="host"/>.</summary>
    public static void Add(Figures f, HostUnderTest host, long committed)
    {
        f.Add("applied", host.StatusLong("applied"), "");
        f.Add("duplicates", host.StatusLong("duplicates"), "");
        f.Add("dead_letters", host.StatusSum("deadLetters"), "");
        f.Add("alerts_reported", host.StatusLong("alerts"), "");
        f.Add("entities_end", host.StatusLong("entities"), "");
        f.Add("stop_snapshots_taken", host.StatusLong("stopSnapshots.taken"), "");
        f.Add("stop_snapshots_skipped", host.StatusLong("stopSnapshots.skipped"), "");
        f.Add("peak_working_set_mib", host.PeakRssBytes / 1048576.0, "MiB");
        f.Add("host_cpu_s", host.CpuSeconds, "s");
        f.Add("host_cpu_s_to_ready", host.CpuSecondsAtReady, "s");
        // Processing only: what the host used after its first ready, per reading committed.
        if (committed > 0) f.Add("host_cpu_us_per_reading", (host.CpuSeconds - host.CpuSecondsAtReady) * 1e6 / committed, "µs");
        // The same window for the managed heap: what processing allocated per reading, and the GC it cost.
        if (committed > 0 && Since(host, "allocatedBytes") is { } allocated) f.Add("host_alloc_kib_per_reading", allocated / 1024.0 / committed, "KiB");
        if (committed > 0 && Since(host, "gcPauseMs") is { } paused) f.Add("host_gc_pause_us_per_reading", paused * 1000 / committed, "µs");
        if (Since(host, "gcCollections.gen2") is { } gen2) f.Add("host_gen2_collections", gen2, "");
        f.Add("readiness_lost", host.ReadinessLost, "");
        f.Add("ready_probe_timeouts", host.ProbeTimeouts, "");
        foreach (var (name, count) in host.Log.Counts()) f.Add(name, count, "");
    }

    private static double? Since(HostUnderTest host, string path) =>
        host.Runtime(path) is { } now && host.RuntimeAtFirstReady(path) is { } atReady ? now - atReady : null;

    public static void AddAlerts(Figures f, AlertWatch alerts)
    {
        f.Add("alert_records", alerts.Records, "");
        f.Add("alert_records_repeated", alerts.Records - alerts.DistinctIds, "");
    }
}
