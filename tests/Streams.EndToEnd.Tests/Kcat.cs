using System.Diagnostics;

namespace Streams.EndToEnd.Tests;

/// <summary>kcat, a real Kafka client outside our code, to write inputs and read outputs.</summary>
public static class Kcat
{
    public static void EnsureInstalled()
    {
        try
        {
            Run(["-V"], stdin: null, TimeSpan.FromSeconds(10));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("kcat is not installed: `apt-get install kcat` (bash .ci/run installs it)");
        }
    }

    /// <summary>Produces <c>key|value</c> lines; a value of exactly NULL is sent as a null value (tombstone).</summary>
    public static void Produce(string bootstrap, string topic, IEnumerable<(string Key, string? Value)> records)
    {
        var lines = string.Join('\n', records.Select(r => $"{r.Key}|{r.Value ?? ""}")) + "\n";
        Run(["-P", "-b", bootstrap, "-t", topic, "-K", "|", "-Z", "-X", "acks=all"], lines, TimeSpan.FromSeconds(30));
    }

    /// <summary>Everything on the topic now, as (key, value) pairs.</summary>
    public static IReadOnlyList<(string Key, string Value)> ConsumeAll(string bootstrap, string topic)
    {
        var output = Run(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"], stdin: null, TimeSpan.FromSeconds(30));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2))
            .Select(p => (p[0], p.Length > 1 ? p[1] : ""))
            .ToList();
    }

    private static string Run(string[] args, string? stdin, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill();
            throw new TimeoutException($"kcat {string.Join(' ', args)} did not finish within {timeout}");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"kcat {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
