using Streams.Contracts;
using Streams.Contracts.Outputs;

namespace Streams.Actors.Aggregates;

/// <summary>
/// A municipality's subjects: its members (sensors that reported to it, with their latest summary) and the registered
/// sensors that never did, with the running <see cref="AggregateTally"/> over all of them. Every change costs the
/// same whatever the municipality's size; only a new registry snapshot is counted again, once.
/// </summary>
public sealed class MunicipalityMembers(string municipality)
{
    // One map per kind, keyed by the sensor's id: a report finds its member without building a key string.
    private readonly Dictionary<string, MunicipalityMember>[] _byKind =
        [.. Enum.GetValues<SubjectKind>().Select(_ => new Dictionary<string, MunicipalityMember>(StringComparer.Ordinal))];
    private readonly AggregateTally _tally = new();
    private readonly int[] _silentRegistered = new int[Enum.GetValues<SubjectKind>().Length];
    private IReadOnlySet<(SubjectKind Kind, string Id)>? _registered;

    public int Count => _byKind.Sum(members => members.Count);

    public IEnumerable<MunicipalityMember> All => _byKind.SelectMany(members => members.Values);

    public static string Key(SubjectKind kind, string id) => SubjectKinds.SubjectKey(kind, id);

    public bool TryGet(SubjectKind kind, string id, out MunicipalityMember member) => _byKind[(int)kind].TryGetValue(id, out member!);

    private bool Contains(SubjectKind kind, string id) => _byKind[(int)kind].ContainsKey(id);

    /// <summary>Adds a member without a summary yet; the existing one if it is a member already.</summary>
    public MunicipalityMember Join(SubjectKind kind, string id)
    {
        if (TryGet(kind, id, out var existing)) return existing;
        var member = new MunicipalityMember(kind, id, Key(kind, id));
        _byKind[(int)kind][id] = member;
        _tally.AddSilent(kind, +1);
        if (_registered?.Contains((kind, id)) == true) CountRegisteredSilent(kind, -1);
        return member;
    }

    /// <summary>Sets a member's latest summary.</summary>
    public void Report(MunicipalityMember member, SensorSummary summary)
    {
        if (member.Summary is { } previous) _tally.Remove(previous);
        else _tally.AddSilent(member.Kind, -1);
        _tally.Add(summary);
        member.Summary = summary;
    }

    public bool Leave(SubjectKind kind, string id, out MunicipalityMember member)
    {
        if (!_byKind[(int)kind].Remove(id, out member!)) return false;
        if (member.Summary is { } summary) _tally.Remove(summary);
        else _tally.AddSilent(member.Kind, -1);
        if (_registered?.Contains((member.Kind, member.Id)) == true) CountRegisteredSilent(member.Kind, +1);
        return true;
    }

    public void Clear()
    {
        foreach (var member in All.ToList()) Leave(member.Kind, member.Id, out _);
    }

    /// <summary>The aggregate over the members and the sensors in <paramref name="registered"/> that are not members.</summary>
    public MunicipalityAggregate Aggregate(string? name, long seq, IReadOnlySet<(SubjectKind Kind, string Id)> registered)
    {
        CountRegistered(registered);
        return _tally.ToAggregate(municipality, name, seq, Summaries);
    }

    /// <summary>Every subject: members with their summary (or none yet), then registered sensors that are not members.</summary>
    public IEnumerable<SensorSummary> Subjects(IReadOnlySet<(SubjectKind Kind, string Id)> registered)
    {
        foreach (var member in All) yield return member.Summary ?? Unknown(member.Kind, member.Id);
        foreach (var (kind, id) in registered)
        {
            if (!Contains(kind, id)) yield return Unknown(kind, id);
        }
    }

    private IEnumerable<SensorSummary> Summaries()
    {
        foreach (var member in All)
        {
            if (member.Summary is { } summary) yield return summary;
        }
    }

    /// <summary>Counts the registered sensors that are not members again when the registry changed.</summary>
    private void CountRegistered(IReadOnlySet<(SubjectKind Kind, string Id)> registered)
    {
        if (ReferenceEquals(registered, _registered)) return;
        for (var kind = 0; kind < _silentRegistered.Length; kind++) CountRegisteredSilent((SubjectKind)kind, -_silentRegistered[kind]);
        _registered = registered;
        foreach (var (kind, id) in registered)
        {
            if (!Contains(kind, id)) CountRegisteredSilent(kind, +1);
        }
    }

    private void CountRegisteredSilent(SubjectKind kind, int delta)
    {
        _silentRegistered[(int)kind] += delta;
        _tally.AddSilent(kind, delta);
    }

    private SensorSummary Unknown(SubjectKind kind, string id) =>
        new(kind, id, municipality, null, false, 0, null, false, null, null, null, false, false, null, false);
}
