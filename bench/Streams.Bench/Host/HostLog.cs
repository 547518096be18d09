namespace Streams.Bench.Host;

/// <summary>
/// The host's console output, written to a file and counted as it arrives: the signs of an unstable node that the
/// issue's "stable" criterion names (ask timeouts, readings not stored, circuit-breaker trips, the "Sequence contains
/// no elements" journal failure, entities stopped, retries, readiness lost), and warnings and errors in general.
/// </summary>
public sealed class HostLog : IDisposable
{
    /// <summary>Figure name → text that marks one occurrence in a log line.</summary>
    public static readonly IReadOnlyList<(string Name, string Marker)> Markers =
    [
        ("ask_timeouts", "no acknowledgment within"),
        ("not_stored", ": not stored:"),
        ("circuit_breaker", "Circuit Breaker"),
        ("sequence_contains_no_elements", "Sequence contains no elements"),
        ("entity_stops", "stopping until"),
        ("recovery_failures", "recovery failed"),
        ("not_ready_logged", "Not ready:"),
        ("warnings_logged", " warn: "),
        ("errors_logged", " fail: "),
    ];

    private readonly StreamWriter _file;
    private readonly long[] _counts = new long[Markers.Count];
    private readonly Queue<string> _tail = new();
    private readonly object _gate = new();

    public HostLog(string path)
    {
        Path = path;
        _file = new StreamWriter(path) { AutoFlush = false };
    }

    public string Path { get; }

    public void Line(string line)
    {
        lock (_gate)
        {
            _file.WriteLine(line);
            for (var i = 0; i < Markers.Count; i++)
                if (line.Contains(Markers[i].Marker, StringComparison.OrdinalIgnoreCase)) _counts[i]++;
            _tail.Enqueue(line);
            if (_tail.Count > 40) _tail.Dequeue();
        }
    }

    public long Count(string name)
    {
        lock (_gate) return _counts[Markers.ToList().FindIndex(m => m.Name == name)];
    }

    public IReadOnlyList<(string Name, long Count)> Counts()
    {
        lock (_gate) return Markers.Select((m, i) => (m.Name, _counts[i])).ToList();
    }

    public string Tail()
    {
        lock (_gate) return string.Join('\n', _tail);
    }

    public void Dispose()
    {
        lock (_gate) _file.Dispose();
    }
}
