namespace Streams.Actors.Entities;

/// <summary>
/// Where in the heartbeat period an entity's heartbeat falls, fixed per id (FNV-1a of the id, not the process-seeded
/// string hash). Municipalities start together when the registry is read; on one shared beat all of them serialized
/// and wrote their snapshots in the same instant, a burst that held every alert behind it.
/// </summary>
public static class HeartbeatPhase
{
    public static TimeSpan Of(string id, TimeSpan period)
    {
        if (period <= TimeSpan.Zero) return TimeSpan.Zero;
        var hash = 2166136261u;
        foreach (var c in id) hash = (hash ^ c) * 16777619u;
        return TimeSpan.FromTicks((long)(hash % (ulong)period.Ticks));
    }
}
