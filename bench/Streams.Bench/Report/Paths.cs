namespace Streams.Bench.Report;

/// <summary>Where the repository and the host's build output are, seen from the benchmark's own build output.</summary>
public static class Paths
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streams.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Streams.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>src/Host's streams.dll of the configuration the benchmark was built in (Release with <c>-c Release</c>).</summary>
    public static string HostDll()
    {
        var tfmDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(tfmDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(tfmDir)!);
        var dll = Path.Combine(RepoRoot(), "src", "Host", "bin", configuration, tfm, "streams.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Host first ({dll} missing)");
    }
}
