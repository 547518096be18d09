namespace Streams.Bench.Host;

/// <summary>Memory and CPU time of a process, from /proc (Linux).</summary>
public static class ProcessStats
{
    /// <summary>(resident set now, its peak so far) in bytes; (0, 0) once the process is gone.</summary>
    public static (long Rss, long PeakRss) Memory(int pid)
    {
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiB(line) * 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = KiB(line) * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return (rss, peak);
    }

    /// <summary>User + system CPU seconds the process used so far; null once it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // USER_HZ is 100 on Linux
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long KiB(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
