using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Streams.Bench.Report;

/// <summary>What the figures were measured on: cores, memory, CPU, OS, .NET, the load at the start, the commit.</summary>
public static class Machine
{
    public static SortedDictionary<string, object> Describe() => new(StringComparer.Ordinal)
    {
        ["cores"] = Environment.ProcessorCount,
        ["memoryGiB"] = Math.Round(MemTotalKiB() / 1024.0 / 1024.0, 1),
        ["cpu"] = CpuModel(),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["loadAverage"] = ReadFirstLine("/proc/loadavg") ?? "?",
        ["commit"] = GitCommit(),
    };

    public static string OneLine(SortedDictionary<string, object> m) =>
        $"{m["cores"]} cores, {m["memoryGiB"]} GiB, {m["cpu"]}, {m["os"]}, {m["dotnet"]}, load {m["loadAverage"]}, commit {m["commit"]}";

    private static long MemTotalKiB()
    {
        foreach (var line in ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string GitCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Paths.RepoRoot(),
            };
            using var git = Process.Start(psi)!;
            var sha = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? sha : "?";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or DirectoryNotFoundException)
        {
            return "?";
        }
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static string? ReadFirstLine(string path) => ReadLines(path).FirstOrDefault();
}
