using System.Globalization;

namespace Streams.Bench.Load;

/// <summary>One reading to write: where it goes, what it says, and whether it causes an alert transition.</summary>
public readonly record struct Reading(int Subject, Kind Kind, string Key, string Value, long ObservedAtUnixSeconds, bool CausesAlert);

/// <summary>
/// Reading <c>j</c> of a run belongs to subject <c>j % subjects</c> and is that subject's reading number
/// <c>seq = j / subjects</c>; its observedAt is <c>start + seq × interval</c>, so every subject's readings are strictly
/// newer than the one before (no duplicates) and all lie in the past. One reading in <c>alertEvery</c> of each subject
/// crosses a threshold (gauge stage 1, car park almost full, bus delayed) and the next one clears it: about
/// <c>2 / alertEvery</c> of the readings cause an alert.
/// </summary>
public sealed class ReadingFactory
{
    private readonly SubjectCatalog _catalog;
    private readonly int _alertEvery;
    private readonly DateTimeOffset _start;

    public ReadingFactory(SubjectCatalog catalog, long readings, int alertEvery)
    {
        _catalog = catalog;
        _alertEvery = alertEvery;
        var maxSeq = readings / catalog.Count + 1;
        _start = DateTimeOffset.UtcNow.AddSeconds(-(maxSeq + 2) * IntervalSeconds(Kind.Pegel)).AddMinutes(-10);
    }

    public static int IntervalSeconds(Kind kind) => kind switch
    {
        Kind.Pegel => 900,
        Kind.Parking => 300,
        _ => 60,
    };

    public string SubjectKey(int subject) => _catalog.SubjectKey(subject);

    public Reading Make(long j)
    {
        var subject = (int)(j % _catalog.Count);
        var seq = j / _catalog.Count;
        var kind = _catalog.KindOf(subject);
        var id = _catalog.Id(subject);
        var observedAt = _start.AddSeconds(seq * IntervalSeconds(kind));
        var at = observedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var high = InAlertPhase(subject, seq);
        var value = kind switch
        {
            Kind.Pegel => $$"""{"stationId":"{{id}}","observedAt":"{{at}}","levelCm":{{(high ? "180.0" : "100.0")}}}""",
            Kind.Parking => $$"""{"facilityId":"{{id}}","observedAt":"{{at}}","free":{{(high ? 10 : 100)}}}""",
            _ => $$"""{"vehicleId":"{{id}}","observedAt":"{{at}}","lat":52.03,"lon":8.9,"routeId":"L1","delaySeconds":{{(high ? 400 : 0)}}}""",
        };
        var causesAlert = high || (seq > 0 && InAlertPhase(subject, seq - 1));
        return new Reading(subject, kind, id, value, observedAt.ToUnixTimeSeconds(), causesAlert);
    }

    private bool InAlertPhase(int subject, long seq) => _alertEvery > 1 && (seq + subject) % _alertEvery == _alertEvery - 1;
}
