using System.Text;
using System.Text.Json;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Contracts.Validation;

internal readonly record struct Parsed<T>(T? Value, Problem? Problem)
    where T : class
{
    public static implicit operator Parsed<T>(Problem problem) => new(null, problem);
}

/// <summary>
/// The clock-free part of validation: structure, fields, types, keys and ranges of readings and registry entries.
/// Checks run in this order and the first problem wins: structure (not-json, duplicate keys), required fields
/// (missing-field), types and formats (invalid-field), key against body (invalid-field), ranges (out-of-range).
/// </summary>
internal static class ContractParser
{
    public static readonly DateTimeOffset EarliestObservedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const double MinLevelCm = -1000;
    public const double MaxLevelCm = 10000;
    public const int MaxStages = 4;

    public static Parsed<Reading> ParseReading(SubjectKind kind, ReadOnlySpan<byte> value, byte[]? key) =>
        TryParsePlainReading(kind, value, key) is { } reading ? new Parsed<Reading>(reading, null) : ParseReadingFromDocument(kind, value, key);

    /// <summary>
    /// The common case in one pass without a JSON document: a plainly valid reading, or null when it is not one
    /// (then <see cref="ParseReadingFromDocument"/> decides, and names the problem).
    /// </summary>
    internal static Reading? TryParsePlainReading(SubjectKind kind, ReadOnlySpan<byte> value, byte[]? key)
    {
        if (value.IsEmpty || !System.Text.Unicode.Utf8.IsValid(value))
            return null;
        var members = new ReadingMembers(kind, key);
        return JsonInspection.IsPlainCleanObject(value, ref members) ? members.TryBuild() : null;
    }

    internal static Parsed<Reading> ParseReadingFromDocument(SubjectKind kind, ReadOnlySpan<byte> value, byte[]? key)
    {
        if (JsonInspection.Inspect(value) is { } structural)
            return structural;
        using var doc = Parse(value);
        var f = new Fields(doc.RootElement);
        Reading? reading = kind switch
        {
            SubjectKind.Pegel => Pegel(f, key),
            SubjectKind.Parking => Parking(f, key),
            SubjectKind.Bus => Bus(f, key),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "readings are pegel, parking or bus"),
        };
        return f.Problem is { } p ? p : new Parsed<Reading>(reading, null);
    }

    public static Parsed<RegistryEntry> ParseRegistry(ReadOnlySpan<byte> value, byte[]? key, bool requireKey)
    {
        if (JsonInspection.Inspect(value) is { } structural)
            return structural;
        using var doc = Parse(value);
        var f = new Fields(doc.RootElement);
        var entry = Registry(f, key, requireKey);
        return f.Problem is { } p ? p : new Parsed<RegistryEntry>(entry, null);
    }

    /// <summary>A tombstone's key must be <c>{kind}/{id}</c> with a known kind and a non-empty id.</summary>
    public static bool TryParseSubjectKey(byte[]? key, out SubjectKind kind, out string id)
    {
        kind = default;
        id = "";
        if (key is null || !System.Text.Unicode.Utf8.IsValid(key))
            return false;
        string text = Encoding.UTF8.GetString(key);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || !SubjectKinds.TryParse(text[..slash], out kind))
            return false;
        id = text[(slash + 1)..];
        return true;
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value, JsonInspection.ReaderOptions);
        return JsonDocument.ParseValue(ref reader);
    }

    private static PegelReading? Pegel(Fields f, byte[]? key)
    {
        f.Require("stationId", "observedAt", "levelCm");
        var id = f.Id("stationId");
        var at = f.Timestamp("observedAt");
        var level = f.Number("levelCm");
        KeyEqualsId(f, key, id, "stationId");
        ObservedAtInRange(f, at);
        f.Between(level, MinLevelCm, MaxLevelCm, "levelCm");
        return f.Failed ? null : new PegelReading(id!, at!.Value, level!.Value);
    }

    private static ParkingReading? Parking(Fields f, byte[]? key)
    {
        f.Require("facilityId", "observedAt");
        if (!f.Failed && !f.Has("free") && !f.Has("occupied"))
            f.Fail(Problem.Missing("free, occupied: at least one of them is required"));
        var id = f.Id("facilityId");
        var at = f.Timestamp("observedAt");
        var free = f.Integer("free");
        var occupied = f.Integer("occupied");
        var capacity = f.Integer("capacity");
        KeyEqualsId(f, key, id, "facilityId");
        ObservedAtInRange(f, at);
        f.AtLeast(free, 0, "free");
        f.AtLeast(occupied, 0, "occupied");
        f.Positive(capacity, "capacity");
        if (capacity is { } cap)
        {
            if (f.Violates(occupied is not { } o || o <= cap))
                f.OutOfRange($"occupied: {occupied} is above capacity {cap}");
            if (f.Violates(free is not { } fr || fr <= cap))
                f.OutOfRange($"free: {free} is above capacity {cap}");
        }

        return f.Failed ? null : new ParkingReading(id!, at!.Value, free, occupied, capacity);
    }

    private static BusPosition? Bus(Fields f, byte[]? key)
    {
        f.Require("vehicleId", "observedAt", "lat", "lon");
        var id = f.Id("vehicleId");
        var at = f.Timestamp("observedAt");
        var lat = f.Number("lat");
        var lon = f.Number("lon");
        var routeId = f.String("routeId");
        var tripId = f.String("tripId");
        var delay = f.Integer("delaySeconds");
        var bearing = f.Number("bearing");
        var speed = f.Number("speedMps");
        var municipality = f.Id("municipality");
        KeyEqualsId(f, key, id, "vehicleId");
        ObservedAtInRange(f, at);
        f.Between(lat, -90, 90, "lat");
        f.Between(lon, -180, 180, "lon");
        return f.Failed
            ? null
            : new BusPosition(id!, at!.Value, lat!.Value, lon!.Value, routeId, tripId, delay, bearing, speed, municipality);
    }

    private static RegistryEntry? Registry(Fields f, byte[]? key, bool requireKey)
    {
        f.Require("kind", "id");
        var kindText = f.String("kind");
        SubjectKind kind = default;
        if (kindText is not null && !SubjectKinds.TryParse(kindText, out kind))
            f.Fail(Problem.Invalid($"kind: unknown kind {Fields.Quote(kindText)}, expected municipality, pegel, parking or bus"));
        if (f.Failed)
            return null;

        switch (kind)
        {
            case SubjectKind.Pegel: f.Require("municipality", "stagesCm"); break;
            case SubjectKind.Parking: f.Require("municipality", "capacity"); break;
            case SubjectKind.Bus: f.Require("municipality"); break;
        }

        var id = f.Id("id");
        RegistryEntry? entry = kind switch
        {
            SubjectKind.Municipality => MunicipalityEntry(f, id),
            SubjectKind.Pegel => PegelEntry(f, id),
            SubjectKind.Parking => ParkingEntry(f, id),
            _ => BusEntry(f, id),
        };

        if (!f.Failed && entry is not null)
        {
            string subject = entry.Subject;
            if (key is null)
            {
                if (requireKey)
                    f.Fail(Problem.Invalid($"key: missing, a registry record is keyed {{kind}}/{{id}}, here {Fields.Quote(subject)}"));
            }
            else if (!key.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(subject)))
            {
                f.Fail(Problem.Invalid($"key: {Fields.Quote(KeyText(key))} does not match {{kind}}/{{id}} of the value, {Fields.Quote(subject)}"));
            }
        }

        // Ranges come last so that a wrong key (invalid-field) wins over an out-of-range value.
        if (!f.Failed && entry is not null)
            EntryRanges(f, entry);
        return f.Failed ? null : entry;
    }

    private static MunicipalityEntry? MunicipalityEntry(Fields f, string? id)
    {
        var name = f.String("name");
        JsonElement? boundary = null;
        if (!f.Failed && f.Get("boundary") is { } b)
        {
            if (GeoJson.Check(b, "boundary") is { } problem)
                f.Fail(problem);
            else
                boundary = b.Clone();
        }

        return f.Failed ? null : new MunicipalityEntry(id!, name, boundary);
    }

    private static PegelEntry? PegelEntry(Fields f, string? id)
    {
        var municipality = f.Id("municipality");
        var name = f.String("name");
        var water = f.String("water");
        var lat = f.Number("lat");
        var lon = f.Number("lon");
        var stages = Stages(f);
        var hysteresis = f.Number("hysteresisCm");
        var rise = f.Number("riseCmPerHour");
        var interval = f.Integer("expectedIntervalSeconds");
        return f.Failed
            ? null
            : new PegelEntry(id!, municipality!, name, water, lat, lon, stages!, hysteresis ?? Contracts.Registry.PegelEntry.DefaultHysteresisCm,
                rise, interval ?? Contracts.Registry.PegelEntry.DefaultExpectedIntervalSeconds);
    }

    private static ParkingEntry? ParkingEntry(Fields f, string? id)
    {
        var municipality = f.Id("municipality");
        var name = f.String("name");
        var capacity = f.Integer("capacity");
        var almostFull = f.Number("almostFullPercent");
        var clear = f.Number("clearPercent");
        var interval = f.Integer("expectedIntervalSeconds");
        var lat = f.Number("lat");
        var lon = f.Number("lon");
        return f.Failed
            ? null
            : new ParkingEntry(id!, municipality!, name, capacity!.Value, almostFull ?? Contracts.Registry.ParkingEntry.DefaultAlmostFullPercent,
                clear ?? Contracts.Registry.ParkingEntry.DefaultClearPercent, interval ?? Contracts.Registry.ParkingEntry.DefaultExpectedIntervalSeconds)
            {
                Lat = lat,
                Lon = lon,
            };
    }

    private static BusEntry? BusEntry(Fields f, string? id)
    {
        var municipality = f.Id("municipality");
        var name = f.String("name");
        var alert = f.Integer("delayAlertSeconds");
        var clear = f.Integer("delayClearSeconds");
        var interval = f.Integer("expectedIntervalSeconds");
        return f.Failed
            ? null
            : new BusEntry(id!, municipality!, name, alert ?? Contracts.Registry.BusEntry.DefaultDelayAlertSeconds,
                clear ?? Contracts.Registry.BusEntry.DefaultDelayClearSeconds, interval ?? Contracts.Registry.BusEntry.DefaultExpectedIntervalSeconds);
    }

    private static double[]? Stages(Fields f)
    {
        if (f.Failed || f.Get("stagesCm") is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            f.Fail(Problem.Invalid($"stagesCm: expected an array of 1 to {MaxStages} numbers, got {Fields.Describe(v)}"));
            return null;
        }

        int count = v.GetArrayLength();
        if (count is 0 or > MaxStages)
        {
            f.Fail(Problem.Invalid($"stagesCm: expected 1 to {MaxStages} stages, got {count}"));
            return null;
        }

        var stages = new double[count];
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (f.Number(item, $"stagesCm[{i}]") is not { } stage)
                return null;
            if (i > 0 && stage <= stages[i - 1])
            {
                f.Fail(Problem.Invalid(
                    $"stagesCm: stages must be strictly ascending, got {Fields.Format(stages[i - 1])} then {Fields.Format(stage)}"));
                return null;
            }

            stages[i++] = stage;
        }

        return stages;
    }

    private static void EntryRanges(Fields f, RegistryEntry entry)
    {
        switch (entry)
        {
            case PegelEntry p:
                f.Between(p.Lat, -90, 90, "lat");
                f.Between(p.Lon, -180, 180, "lon");
                f.AtLeast(p.HysteresisCm, 0, "hysteresisCm");
                f.Positive(p.RiseCmPerHour, "riseCmPerHour");
                f.Positive(p.ExpectedIntervalSeconds, "expectedIntervalSeconds");
                break;
            case ParkingEntry p:
                f.Between(p.Lat, -90, 90, "lat");
                f.Between(p.Lon, -180, 180, "lon");
                f.Positive(p.Capacity, "capacity");
                f.Between(p.AlmostFullPercent, 0, 100, "almostFullPercent");
                f.Between(p.ClearPercent, 0, 100, "clearPercent");
                f.Positive(p.ExpectedIntervalSeconds, "expectedIntervalSeconds");
                break;
            case BusEntry b:
                f.Positive(b.ExpectedIntervalSeconds, "expectedIntervalSeconds");
                break;
            case MunicipalityEntry { Boundary: { } boundary }:
                if (GeoJson.CheckRanges(boundary, "boundary") is { } problem)
                    f.Fail(problem);
                break;
        }
    }

    private static void KeyEqualsId(Fields f, byte[]? key, string? id, string field)
    {
        if (f.Failed || key is null || id is null)
            return;
        if (!key.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(id)))
            f.Fail(Problem.Invalid($"key: {Fields.Quote(KeyText(key))} does not match {field} {Fields.Quote(id)}"));
    }

    private static void ObservedAtInRange(Fields f, DateTimeOffset? at)
    {
        if (at is { } t && f.Violates(t >= EarliestObservedAt))
            f.OutOfRange($"observedAt: {t:yyyy-MM-ddTHH:mm:ssK} is before 2000-01-01T00:00:00Z");
    }

    internal static string KeyText(byte[] key) => Encoding.UTF8.GetString(key);
}
