using System.Diagnostics;
using Streams.Bench.Host;
using Streams.Bench.Kafka;
using Streams.Bench.Load;

namespace Streams.Bench.Report;

/// <summary>One line every few seconds while a run goes: written, committed and its rate, the host's counters, trouble, memory.</summary>
public sealed class ProgressLine(Stopwatch clock, TimeSpan every)
{
    private TimeSpan _last = TimeSpan.Zero;
    private long _lastCommitted;

    public void MaybePrint(string label, HostUnderTest? host, GroupWatch group, LoadWriter writer, long planned)
    {
        var now = clock.Elapsed;
        if (now - _last < every) return;
        var committed = group.Committed;
        var rate = (committed - _lastCommitted) / (now - _last).TotalSeconds;
        (_last, _lastCommitted) = (now, committed);
        var hostPart = host is null || host.HasExited
            ? "host down"
            : $"applied {host.StatusLong("applied"):N0} dup {host.StatusLong("duplicates"):N0} alerts {host.StatusLong("alerts"):N0}"
              + $" entities {host.StatusLong("entities"):N0} | timeouts {host.Log.Count("ask_timeouts")} breaker {host.Log.Count("circuit_breaker")}"
              + $" lost-ready {host.ReadinessLost} | {(host.IsReady ? "ready" : "not ready")} rss {host.RssBytes / 1048576:N0} MiB";
        Console.WriteLine($"[bench] {label} {now:mm\\:ss} written {writer.Delivered:N0}/{planned:N0} committed {committed:N0} ({rate:N0}/s) | {hostPart}");
    }
}
