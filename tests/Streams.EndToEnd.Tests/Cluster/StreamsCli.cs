using System.Diagnostics;
using System.Text.Json;

namespace Streams.EndToEnd.Tests.Cluster;

/// <summary>The <c>streams</c> executable run as a tool (<c>streams &lt;verb&gt; …</c>), as an operator runs it.</summary>
public static class StreamsCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    /// <summary>Runs a verb; the token goes through STREAMS_ADMIN_TOKEN (null: the variable is removed).</summary>
    public static async Task<Result> Run(string? token, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(HostDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (token is null) psi.Environment.Remove("STREAMS_ADMIN_TOKEN");
        else psi.Environment["STREAMS_ADMIN_TOKEN"] = token;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await p.WaitForExitAsync(cts.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The same build output the host processes run (src/Host, this test build's configuration).</summary>
    private static string HostDll()
    {
        var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var dll = Path.Combine(HostProcess.RepoRoot(), "src", "Host", "bin",
            Path.GetFileName(Path.GetDirectoryName(testDir)!), Path.GetFileName(testDir), "streams.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Host first ({dll} missing)");
    }
}
