using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Streams.EndToEnd.Tests;

/// <summary>The <c>streams</c> host as a real child process, with its console captured and its HTTP API at hand.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, string url, string workDir)
    {
        _process = process;
        Url = url;
        WorkDir = workDir;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue("ERR " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }
    public string WorkDir { get; }
    public HttpClient Http { get; }
    public IReadOnlyList<string> Output => _output.ToList();
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public int Pid => _process.Id;

    /// <summary>Starts the host from the build output of src/Host with these command-line settings, in <paramref name="workDir"/>.</summary>
    public static HostProcess Start(string workDir, params string[] settings)
    {
        Directory.CreateDirectory(workDir);
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(HostDll());
        psi.ArgumentList.Add($"--urls={url}");
        foreach (var s in settings) psi.ArgumentList.Add(s);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return new HostProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the host"), url, workDir);
    }

    public async Task WaitUntilReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"host exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                var response = await Http.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"host not ready within {timeout}:\n{Tail()}");
    }

    public async Task<JsonElement> GetJson(string path)
    {
        var body = await Http.GetStringAsync(path);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Polls until the condition holds, failing with the host's recent output.</summary>
    public async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{what}: not within {timeout}\n{Tail()}");
    }

    public void SendSigterm() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Host's build output for the configuration these tests were built in.</summary>
    private static string HostDll()
    {
        var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(testDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir)!);
        var root = RepoRoot();
        var dll = Path.Combine(root, "src", "Host", "bin", configuration, tfm, "streams.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Host first ({dll} missing)");
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streams.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Streams.sln not found above " + AppContext.BaseDirectory);
    }
}
