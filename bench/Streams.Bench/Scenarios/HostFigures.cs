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
        f.Add("peak_working_set_mib", host.PeakRssBytes / 1048576.0, "MiB");
        f.Add("host_cpu_s", host.CpuSeconds, "s");
        f.Add("host_cpu_s_to_ready", host.CpuSecondsAtReady, "s");
        // Processing only: what the host used after its first ready, per reading committed.
        if (committed > 0) f.Add("host_cpu_us_per_reading", (host.CpuSeconds - host.CpuSecondsAtReady) * 1e6 / committed, "µs");
        f.Add("readiness_lost", host.ReadinessLost, "");
        f.Add("ready_probe_timeouts", host.ProbeTimeouts, "");
        foreach (var (name, count) in host.Log.Counts()) f.Add(name, count, "");
    }

    public static void AddAlerts(Figures f, AlertWatch alerts)
    {
        f.Add("alert_records", alerts.Records, "");
        f.Add("alert_records_repeated", alerts.Records - alerts.DistinctIds, "");
    }
}
