using System.Collections.Concurrent;

namespace Streams.Host.Status;

/// <summary>
/// What makes the process useless until it is restarted (a stream that cannot be started again). Any entry fails
/// <c>/healthz/live</c>, so that the orchestrator (Kubernetes) restarts the pod.
/// </summary>
public sealed class Liveness
{
    private readonly ConcurrentDictionary<string, string> _dead = new();

    public void Dead(string what, string reason) => _dead[what] = reason;

    public bool IsLive => _dead.IsEmpty;

    public IReadOnlyDictionary<string, string> Reasons => new SortedDictionary<string, string>(_dead);
}
