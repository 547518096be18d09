using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Streams.Browser.Tests;

/// <summary>
/// The <c>streams</c> host as a child process on an HTTP port of its own choosing (port 0): its URL is read from the
/// line it prints at start, <c>[streams] HTTP: …</c>.
/// </summary>
public sealed partial class StreamsHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StreamsHost(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            if (HttpLine().Match(e.Data) is { Success: true } m) _url.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue("ERR " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; private set; } = "";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static async Task<StreamsHost> StartAsync(string workDir, TimeSpan timeout, params string[] settings)
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
        var host = new StreamsHost(Process.Start(psi) ?? throw new InvalidOperationException("could not start the host"));
        var printed = await Task.WhenAny(host._url.Task, Task.Delay(timeout));
        if (printed != host._url.Task) throw new TimeoutException($"the host printed no HTTP URL within {timeout}:\n{host.Tail()}");
        host.Url = host._url.Task.Result.TrimEnd('/');
        host.Http.BaseAddress = new Uri(host.Url);
        return host;
    }

    public async Task<JsonElement> GetJson(string path) => JsonDocument.Parse(await Http.GetStringAsync(path)).RootElement;

    /// <summary>Polls until the condition holds, failing with the host's recent output.</summary>
    public async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"host exited with {_process.ExitCode}:\n{Tail()}");
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException e) { last = e; }
            catch (TaskCanceledException e) { last = e; }
            // A JSON answer without the awaited shape yet (a null section, a missing property) is "not yet".
            catch (InvalidOperationException e) { last = e; }
            catch (KeyNotFoundException e) { last = e; }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what}: not within {timeout}{(last is null ? "" : $" (last: {last.GetType().Name}: {last.Message})")}\n{Tail()}");
    }

    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"\[streams\] HTTP: (http://[^\s,]+)")]
    private static partial Regex HttpLine();

    /// <summary>src/Host's build output for the configuration these tests were built in.</summary>
    private static string HostDll()
    {
        var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(testDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir)!);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streams.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? throw new DirectoryNotFoundException("Streams.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(root, "src", "Host", "bin", configuration, tfm, "streams.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Host first ({dll} missing)");
    }
}
