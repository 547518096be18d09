using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Streams.Bench.Report;

namespace Streams.Bench.Host;

/// <summary>
/// The real host (src/Host's streams.dll) as a child process, configured by command-line settings, pointed at the
/// benchmark's Kafka. While it runs, its readiness is polled (first ready, every loss of it), its /api/status and its
/// memory are sampled, and its console goes to a log file and is counted.
/// </summary>
public sealed class HostUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private readonly TimeSpan _startedAt;
    private bool _ready;
    private long _peakRss;
    private JsonElement? _status;
    private double _cpuSeconds;

    private HostUnderTest(Process process, string url, HostLog log, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
        _startedAt = clock.Elapsed;
        Log = log;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Line(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Line("ERR " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _watch = Task.Run(Watch);
    }

    public HostLog Log { get; }

    /// <summary>When (on the run's clock) this process was started.</summary>
    public TimeSpan StartedAt => _startedAt;
    public HttpClient Http { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>When (on the run's clock) /healthz/ready first answered 200; null until then.</summary>
    public TimeSpan? FirstReady { get; private set; }

    /// <summary>From the start of this process to its first ready.</summary>
    public TimeSpan? StartToReady => FirstReady - _startedAt;

    public bool IsReady => _ready;

    /// <summary>CPU seconds the process had used when it was first ready (starting: JIT, registry, cluster).</summary>
    public double CpuSecondsAtReady { get; private set; }

    /// <summary>The host's runtime figures (<c>runtime</c> of /api/status) when it was first ready.</summary>
    public JsonElement? RuntimeAtReady { get; private set; }

    /// <summary>Times /healthz/ready answered 503 after having been ready.</summary>
    public int ReadinessLost { get; private set; }

    /// <summary>Readiness probes after the first ready that got no answer within 5 s (a busy or stuck node).</summary>
    public int ProbeTimeouts { get; private set; }

    public long PeakRssBytes => Math.Max(_peakRss, ProcessStats.Memory(Pid).PeakRss);
    public long RssBytes => ProcessStats.Memory(Pid).Rss;
    public double CpuSeconds => ProcessStats.CpuSeconds(Pid) ?? _cpuSeconds;
    public JsonElement? LastStatus => _status;

    public static HostUnderTest Start(string runDir, string name, string bootstrapServers, IEnumerable<string> settings, Stopwatch clock)
    {
        var dataDir = Path.Combine(runDir, "data");
        Directory.CreateDirectory(dataDir);
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = runDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Paths.HostDll(), $"--urls={url}", $"--Streams:Kafka:BootstrapServers={bootstrapServers}",
                     $"--Streams:DataDir={dataDir}", "--Streams:Demo:Enabled=false", "--Streams:Kafka:GroupId=" + GroupId,
                 })
            psi.ArgumentList.Add(arg);
        foreach (var s in settings) psi.ArgumentList.Add(s);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var log = new HostLog(Path.Combine(runDir, name + ".log"));
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the host");
        Live[process.Id] = process;
        return new HostUnderTest(process, url, log, clock);
    }

    public const string GroupId = "bench-streams";

    /// <summary>Fetches /api/status now (null if the host does not answer).</summary>
    public async Task<JsonElement?> StatusNow()
    {
        try
        {
            var status = JsonDocument.Parse(await Http.GetStringAsync("/api/status")).RootElement.Clone();
            _status = status;
            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A number of the last status (<c>stopSnapshots.taken</c> style paths), or 0.</summary>
    public long StatusLong(string path) =>
        _status is { } s && NumberAt(s, path) is { } value ? (long)value : 0;

    /// <summary>A number of the <c>runtime</c> section of the last status (<c>gcCollections.gen2</c> style paths), or null.</summary>
    public double? Runtime(string path) => NumberAt(_status is { } s && s.TryGetProperty("runtime", out var r) ? r : null, path);

    /// <summary>The same number as it was when the host was first ready.</summary>
    public double? RuntimeAtFirstReady(string path) => NumberAt(RuntimeAtReady, path);

    private static double? NumberAt(JsonElement? root, string path)
    {
        if (root is not { } node) return null;
        foreach (var name in path.Split('.'))
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
        return node.ValueKind == JsonValueKind.Number ? node.GetDouble() : null;
    }

    /// <summary>Sum of an object-of-numbers property of the status (e.g. deadLetters per reason).</summary>
    public long StatusSum(string property) =>
        _status is { } s && s.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Sum(p => p.Value.GetInt64())
            : 0;

    private async Task Watch()
    {
        var lastStatus = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested && !_process.HasExited)
        {
            await Probe().ConfigureAwait(false);
            var (_, peak) = ProcessStats.Memory(Pid);
            _peakRss = Math.Max(_peakRss, peak);
            _cpuSeconds = ProcessStats.CpuSeconds(Pid) ?? _cpuSeconds;
            if (_clock.Elapsed - lastStatus >= TimeSpan.FromSeconds(2))
            {
                lastStatus = _clock.Elapsed;
                await StatusNow().ConfigureAwait(false);
            }
            try
            {
                await Task.Delay(ProbeInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (TaskCanceledException) { }
        }
    }

    private async Task Probe()
    {
        try
        {
            using var response = await Http.GetAsync("/healthz/ready", _stop.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                if (FirstReady is null)
                {
                    FirstReady = _clock.Elapsed;
                    CpuSecondsAtReady = ProcessStats.CpuSeconds(Pid) ?? 0;
                    if (await StatusNow().ConfigureAwait(false) is { } status && status.TryGetProperty("runtime", out var runtime))
                        RuntimeAtReady = runtime;
                }
                _ready = true;
            }
            else
            {
                if (_ready) ReadinessLost++;
                _ready = false;
            }
        }
        catch (HttpRequestException) { } // not listening yet
        catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
        {
            if (FirstReady is not null) ProbeTimeouts++;
        }
        catch (TaskCanceledException) { }
    }

    /// <summary>Hosts still running: a benchmark stopped by Ctrl+C or SIGTERM kills them before it goes.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Live = new();

    private static readonly PosixSignalRegistration[] StopSignals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAllLive()),
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAllLive()),
    ];

    private static void KillAllLive()
    {
        foreach (var process in Live.Values) KillQuietly(process);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    /// <summary>kill -9: no drain, no goodbye.</summary>
    public void KillHard()
    {
        _cpuSeconds = ProcessStats.CpuSeconds(Pid) ?? _cpuSeconds;
        _peakRss = Math.Max(_peakRss, ProcessStats.Memory(Pid).PeakRss);
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _watch.ConfigureAwait(false);
        if (!_process.HasExited) KillHard();
        _process.WaitForExit(10_000);
        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
        Http.Dispose();
        Log.Dispose();
        _stop.Dispose();
    }
}
