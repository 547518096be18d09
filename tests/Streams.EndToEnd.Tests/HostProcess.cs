using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Streams.EndToEnd.Tests;

/// <summary>The <c>streams</c> host as a real child process, with its console captured and its HTTP API at hand.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>What the host prints once it listens, followed by the bound addresses (Program.cs).</summary>
    private const string HttpLine = "[streams] HTTP: ";
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            if (e.Data.StartsWith(HttpLine, StringComparison.Ordinal)) _listening.TrySetResult(e.Data[HttpLine.Length..].Split(',')[0].Trim());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue("ERR " + e.Data); };
        process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("host exited before it listened"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The address the host bound (it picks a free port itself, so no port is chosen here and taken by another process later).</summary>
    public string Url { get; private set; } = "";
    public string WorkDir { get; }
    public HttpClient Http { get; private set; } = null!;
    public IReadOnlyList<string> Output => _output.ToList();
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public int Pid => _process.Id;

    /// <summary>
    /// Starts the host from the build output of src/Host with these command-line settings, in
    /// <paramref name="workDir"/>, and returns once it listens for HTTP on the port it picked.
    /// </summary>
    public static HostProcess Start(string workDir, params string[] settings)
    {
        Directory.CreateDirectory(workDir);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(HostDll());
        psi.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var s in settings) psi.ArgumentList.Add(s);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var host = new HostProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the host"), workDir);
        try
        {
            if (!host._listening.Task.Wait(ListenTimeout)) throw new TimeoutException($"host not listening within {ListenTimeout}:\n{host.Tail()}");
        }
        catch (Exception ex)
        {
            if (!host.HasExited) host.Kill();
            if (ex is AggregateException) throw new InvalidOperationException($"{ex.InnerException?.Message}:\n{host.Tail()}", ex);
            throw;
        }
        host.Url = host._listening.Task.Result;
        host.Http = new HttpClient { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(10) };
        return host;
    }

    public async Task WaitUntilReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"host exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                var response = await Http.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException e) { last = e; }
            catch (TaskCanceledException e) { last = e; }
            await Task.Delay(250);
        }
        throw new TimeoutException($"host not ready within {timeout}{(last is null ? "" : $" (last: {last.Message})")}:\n{Tail()}");
    }

    public async Task<JsonElement> GetJson(string path)
    {
        var body = await Http.GetStringAsync(path);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Polls until the condition holds, failing with the host's recent output.</summary>
    public async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException e) { last = e; }
            catch (TaskCanceledException e) { last = e; }
            // A JSON answer without the awaited shape yet (a null section, a missing property) is "not yet".
            catch (InvalidOperationException e) { last = e; }
            catch (KeyNotFoundException e) { last = e; }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
        }
        throw new TimeoutException($"{what}: not within {timeout}{(last is null ? "" : $" (last: {last.GetType().Name}: {last.Message})")}\n{Tail()}");
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
        Http?.Dispose();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
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
