using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Streams.EndToEnd.Tests.Crash;

/// <summary>What <c>streams.alerts</c> holds compared with a scenario's expectations.</summary>
public sealed class AlertReport
{
    public int Expected { get; init; }
    public int Found { get; init; }
    public int Records { get; init; }
    public int DuplicatesById { get; init; }
    public int Conflicts { get; init; }
    public List<ExpectedAlert> Lost { get; init; } = [];
    public List<string> Unexpected { get; init; } = [];
    public List<string> KeysWithSeveralIds { get; init; } = [];
    public List<string> OrderViolations { get; init; } = [];
    public List<string> Malformed { get; init; } = [];

    public override string ToString() =>
        $"alerts expected={Expected} found={Found} lost={Lost.Count} unexpected={Unexpected.Count} | alert records={Records} "
        + $"duplicates by id={DuplicatesById} conflicts={Conflicts} keys with several ids={KeysWithSeveralIds.Count} "
        + $"order violations={OrderViolations.Count} malformed={Malformed.Count}";

    public void AssertClean()
    {
        Assert.True(Malformed.Count == 0, "malformed alert records: " + string.Join("; ", Malformed.Take(5)));
        Assert.True(Lost.Count == 0, $"{Lost.Count} expected alert(s) missing, e.g. " + string.Join("; ", Lost.Take(10)));
        Assert.True(Conflicts == 0, $"{Conflicts} id(s) with different content");
        Assert.True(KeysWithSeveralIds.Count == 0, "one transition under several ids: " + string.Join("; ", KeysWithSeveralIds.Take(5)));
        Assert.True(Unexpected.Count == 0, $"{Unexpected.Count} unexpected alert(s), e.g. " + string.Join("; ", Unexpected.Take(10)));
        Assert.True(OrderViolations.Count == 0, "per-subject order broken: " + string.Join("; ", OrderViolations.Take(5)));
    }
}

public static class OutputCheck
{
    public static AlertReport Alerts(Scenario scenario, IReadOnlyList<OutputRecord> records, IEnumerable<string>? onlySubjects = null)
    {
        var subjects = (onlySubjects ?? scenario.Expected.Keys).ToHashSet();
        var byId = new Dictionary<string, byte[]>();
        var idsByKey = new Dictionary<string, HashSet<string>>();
        var firstSeen = new Dictionary<string, List<string>>(); // subject → keys in order of first occurrence
        var seenKeys = new HashSet<string>();
        int duplicates = 0, conflicts = 0;
        var malformed = new List<string>();
        // Per subject the records are on one partition: offset order is the order they were written.
        foreach (var r in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            string id, key, subject;
            try
            {
                var root = JsonDocument.Parse(r.Value).RootElement;
                id = root.GetProperty("id").GetString()!;
                subject = root.GetProperty("subject").GetString()!;
                var data = root.GetProperty("data");
                var started = DateTimeOffset.Parse(data.GetProperty("episodeStartedAt").GetString()!, CultureInfo.InvariantCulture);
                var state = data.GetProperty("state").GetString()!;
                if (subject != r.Key) malformed.Add($"record key {r.Key} but subject {subject}");
                if (root.GetProperty("type").GetString() != "streams.alert." + state) malformed.Add($"{id}: type and state disagree");
                key = new ExpectedAlert(subject, data.GetProperty("rule").GetString()!, state, started).Key;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                malformed.Add($"p{r.Partition}@{r.Offset}: {ex.Message}: {Encoding.UTF8.GetString(r.Value)[..Math.Min(200, r.Value.Length)]}");
                continue;
            }
            if (byId.TryGetValue(id, out var earlier))
            {
                duplicates++;
                if (!earlier.AsSpan().SequenceEqual(r.Value)) conflicts++;
            }
            else
            {
                byId[id] = r.Value;
            }
            if (!idsByKey.TryGetValue(key, out var ids)) idsByKey[key] = ids = [];
            ids.Add(id);
            if (seenKeys.Add(key))
            {
                if (!firstSeen.TryGetValue(subject, out var list)) firstSeen[subject] = list = [];
                list.Add(key);
            }
        }

        var expectedKeys = scenario.Expected.Where(e => subjects.Contains(e.Key)).SelectMany(e => e.Value).ToList();
        var expectedSet = expectedKeys.Select(e => e.Key).ToHashSet();
        var order = new List<string>();
        foreach (var subject in subjects)
        {
            var want = scenario.Expected[subject].Select(e => e.Key).ToList();
            var got = firstSeen.TryGetValue(subject, out var l) ? l : [];
            if (!want.SequenceEqual(got))
            {
                var at = Enumerable.Range(0, Math.Min(want.Count, got.Count)).FirstOrDefault(i => want[i] != got[i], Math.Min(want.Count, got.Count));
                order.Add($"{subject}: first difference at #{at}: expected {(at < want.Count ? want[at] : "(end)")}, got {(at < got.Count ? got[at] : "(end)")}");
            }
        }
        return new AlertReport
        {
            Expected = expectedKeys.Count,
            Found = expectedKeys.Count(e => seenKeys.Contains(e.Key)),
            Records = records.Count,
            DuplicatesById = duplicates,
            Conflicts = conflicts,
            Lost = expectedKeys.Where(e => !seenKeys.Contains(e.Key)).ToList(),
            Unexpected = seenKeys.Where(k => !expectedSet.Contains(k)).ToList(),
            KeysWithSeveralIds = idsByKey.Where(kv => kv.Value.Count > 1).Select(kv => kv.Key).ToList(),
            OrderViolations = order,
            Malformed = malformed,
        };
    }

    /// <summary>
    /// The latest aggregate (highest seq) of each municipality against what the final readings imply; also that
    /// seq increases with every record of a municipality. Returns the problems (empty when right).
    /// </summary>
    public static List<string> Aggregates(Scenario scenario, IReadOnlyList<OutputRecord> records)
    {
        var problems = new List<string>();
        var latest = new Dictionary<string, (long Seq, JsonElement Root)>();
        foreach (var group in records.GroupBy(r => r.Key))
        {
            long previous = long.MinValue;
            foreach (var r in group.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
            {
                var root = JsonDocument.Parse(r.Value).RootElement;
                var seq = root.GetProperty("seq").GetInt64();
                if (seq <= previous) problems.Add($"{group.Key}: seq {seq} after {previous} (p{r.Partition}@{r.Offset})");
                previous = seq;
                if (!latest.TryGetValue(group.Key, out var l) || seq > l.Seq) latest[group.Key] = (seq, root);
            }
        }
        foreach (var (ags, name) in scenario.Municipalities)
        {
            if (!latest.TryGetValue(ags, out var l))
            {
                problems.Add($"{ags}: no aggregate");
                continue;
            }
            var a = l.Root;
            var subjects = scenario.Final.Values.Where(f => f.Municipality == ags).ToList();
            var parks = subjects.Where(f => f.Kind == "parking").ToList();
            var buses = subjects.Where(f => f.Kind == "bus").ToList();
            var gauges = subjects.Where(f => f.Kind == "pegel").ToList();
            long capacity = parks.Count * (long)Scenario.Capacity, occupied = parks.Sum(p => (long)p.Occupied!.Value);
            var delays = buses.Where(b => b.DelaySeconds is not null).Select(b => b.DelaySeconds!.Value).ToList();
            var atStage = new int[5];
            foreach (var g in gauges) atStage[g.Stage!.Value]++;
            var expected = new (string Path, object Value)[]
            {
                ("name", name),
                ("asOf", subjects.Max(s => s.LastObservedAt)),
                ("parking.facilities", parks.Count),
                ("parking.capacity", capacity),
                ("parking.occupied", occupied),
                ("parking.free", capacity - occupied),
                ("parking.occupancyPercent", Math.Round(occupied * 100.0 / capacity, 1, MidpointRounding.AwayFromZero)),
                ("parking.almostFull", parks.Count(p => p.OpenRules.Contains("parking.almost-full"))),
                ("parking.full", parks.Count(p => p.OpenRules.Contains("parking.full"))),
                ("parking.stale", 0),
                ("bus.vehicles", buses.Count),
                ("bus.stale", 0),
                ("bus.delayed", buses.Count(b => b.OpenRules.Contains("bus.delayed"))),
                ("bus.meanDelaySeconds", delays.Count == 0 ? 0.0 : Math.Round(delays.Average(), 1, MidpointRounding.AwayFromZero)),
                ("bus.maxDelaySeconds", delays.Count == 0 ? 0 : delays.Max()),
                ("pegel.stations", gauges.Count),
                ("pegel.maxStage", gauges.Max(g => g.Stage!.Value)),
                ("pegel.atStage", string.Join(",", atStage)),
                ("pegel.rising", gauges.Count(g => g.OpenRules.Contains("pegel.rapid-rise"))),
                ("pegel.stale", 0),
                ("openAlerts", subjects.Sum(s => s.OpenRules.Count)),
            };
            foreach (var (path, value) in expected)
            {
                var e = a;
                foreach (var part in path.Split('.')) e = e.GetProperty(part);
                var actual = e.ValueKind == JsonValueKind.Array ? string.Join(",", e.EnumerateArray().Select(x => x.GetInt32())) : e.ToString();
                var ok = value switch
                {
                    DateTimeOffset t => DateTimeOffset.Parse(actual, CultureInfo.InvariantCulture) == t,
                    double d => Math.Abs(e.GetDouble() - d) < 0.05,
                    _ => actual == Convert.ToString(value, CultureInfo.InvariantCulture),
                };
                if (!ok) problems.Add($"{ags} seq {l.Seq}: {path} = {actual}, expected {Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }
        }
        return problems;
    }
}
