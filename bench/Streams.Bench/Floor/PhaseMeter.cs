using System.Diagnostics;
using Streams.Bench.Report;

namespace Streams.Bench.Floor;

/// <summary>What one phase of a floor run cost this process: wall time, CPU, allocation and GC pauses per command.</summary>
internal sealed class PhaseMeter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: false);
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();

    public void AddTo(Figures figures, string prefix, long commands)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocated;
        var paused = GC.GetTotalPauseDuration() - _paused;
        figures.Add($"{prefix}_per_s", commands / seconds, "/s");
        figures.Add($"{prefix}_cpu_us", cpu.TotalMicroseconds / commands, "µs");
        figures.Add($"{prefix}_alloc_kib", allocated / 1024.0 / commands, "KiB");
        figures.Add($"{prefix}_gc_pause_us", paused.TotalMicroseconds / commands, "µs");
    }
}
