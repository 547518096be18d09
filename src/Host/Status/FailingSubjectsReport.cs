using Streams.Actors.Ingestion;

namespace Streams.Host.Status;

/// <summary>
/// A subject whose readings cannot be stored holds back its partition's commits while other subjects go on. After a
/// grace period the node says so by name (readiness, status), instead of looking healthy with a frozen partition.
/// </summary>
public static class FailingSubjectsReport
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public static string? Problem(IReadOnlyList<FailingSubject> failing, DateTimeOffset now, TimeSpan grace)
    {
        var stuck = failing.Where(f => now - f.Since >= grace).ToList();
        if (stuck.Count == 0) return null;
        var named = string.Join("; ", stuck.Take(5).Select(f =>
            $"{f.Subject} for {(now - f.Since).TotalSeconds:0} s, {f.Attempts} attempts: {f.Problem}"));
        return $"{stuck.Count} subject(s) cannot be stored, their partitions' commits are held: {named}{(stuck.Count > 5 ? "; …" : "")}";
    }
}
