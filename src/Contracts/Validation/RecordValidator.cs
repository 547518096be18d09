using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Contracts.Validation;

/// <summary>
/// Turns raw records into typed readings and registry entries, or into dead letters with the contract's reason
/// and a human-readable error (<c>field: what is wrong, got …</c>). Never throws for bad input.
/// </summary>
/// <remarks>
/// <para>Checks run in this order; the first failing one decides the reason:</para>
/// <list type="number">
/// <item><b>too-large</b>: the value is longer than <see cref="MaxValueBytes"/> (64 KiB). Checked before parsing. The
/// dead letter keeps at most the first <see cref="MaxDeadLetterPayloadBytes"/> (1 KiB, cut at a character
/// boundary) in <c>payload</c> and says so in <c>error</c>.</item>
/// <item><b>not-json</b>: a null or empty value on a readings topic (an empty value on the registry too), invalid
/// UTF-8, text that is not JSON (including comments, trailing commas, several values), nesting deeper than 64,
/// or JSON that is not an object.</item>
/// <item><b>invalid-field</b> for a duplicate key in any object, and for a bare <c>NaN</c>/<c>Infinity</c> token.</item>
/// <item><b>missing-field</b>: a required field absent or JSON <c>null</c> (all missing ones are named). Readings:
/// pegel <c>stationId</c>, <c>observedAt</c>, <c>levelCm</c>; parking <c>facilityId</c>, <c>observedAt</c> and at
/// least one of <c>free</c>/<c>occupied</c>; bus <c>vehicleId</c>, <c>observedAt</c>, <c>lat</c>, <c>lon</c>.
/// Registry: <c>kind</c>, <c>id</c>; for pegel, parking and bus <c>municipality</c>; pegel <c>stagesCm</c>; parking
/// <c>capacity</c>. An optional field that is JSON null counts as absent.</item>
/// <item><b>invalid-field</b>: wrong JSON type (<c>"187"</c> for a number, a number for a string id, a fraction for
/// <c>free</c>/<c>occupied</c>/<c>capacity</c>/<c>expectedIntervalSeconds</c>/<c>delaySeconds</c>/
/// <c>delayAlertSeconds</c>/<c>delayClearSeconds</c>; an integral value such as <c>12.0</c> is accepted), an empty
/// id, <c>observedAt</c> not RFC 3339 with an offset (see <see cref="Rfc3339"/>), NaN/±Infinity in any form
/// (string, or a number that overflows to infinity such as <c>1e999</c>), an unknown registry <c>kind</c>,
/// <c>stagesCm</c> empty, longer than 4 or not strictly ascending, a <c>boundary</c> that is not a GeoJSON
/// Polygon/MultiPolygon (RFC 7946: closed rings of at least 4 positions).</item>
/// <item><b>invalid-field</b> for the key: on a readings topic a present key (non-null, even empty) must equal the
/// id in the body byte for byte; on the registry the key must be present and equal <c>{kind}/{id}</c>.</item>
/// <item><b>out-of-range</b>: <c>levelCm</c> outside −1000…10000; <c>lat</c> outside −90…90, <c>lon</c> outside
/// −180…180 (readings, pegel entries, boundary positions); negative <c>free</c>/<c>occupied</c>; reading
/// <c>capacity</c> ≤ 0; <c>occupied</c> or <c>free</c> above the reading's <c>capacity</c> (above the registry's
/// when the reading has none: <see cref="CheckAgainstEntry"/>, once the entry is resolved); registry
/// <c>capacity</c> or <c>expectedIntervalSeconds</c> ≤ 0; <c>hysteresisCm</c> &lt; 0; <c>riseCmPerHour</c> ≤ 0;
/// <c>almostFullPercent</c>/<c>clearPercent</c> outside 0…100; an integer beyond 32 bits; <c>observedAt</c> before
/// 2000-01-01T00:00:00Z.</item>
/// <item><b>future-timestamp</b>: <c>observedAt</c> more than <see cref="MaxClockSkew"/> (5 minutes) after the
/// clock's now (exactly 5 minutes is accepted).</item>
/// </list>
/// <para>Unknown extra fields are ignored. Registry defaults are applied: <c>hysteresisCm</c> 10,
/// <c>riseCmPerHour</c> none, <c>expectedIntervalSeconds</c> 900 (pegel) / 300 (parking) / 120 (bus),
/// <c>almostFullPercent</c> 90, <c>clearPercent</c> 85, <c>delayAlertSeconds</c> 300, <c>delayClearSeconds</c> 180.
/// A registry record with a null value and key <c>{kind}/{id}</c> is a tombstone; with any other key it is
/// invalid-field.</para>
/// <para>Dead letters carry the record's topic, partition, offset, key as UTF-8 text (null when absent), the value
/// as text in <c>payload</c> when it is valid UTF-8, else base64 in <c>payloadBase64</c> (neither for a null value),
/// and <c>receivedAt</c> = the clock's now (UTC).</para>
/// </remarks>
public sealed class RecordValidator(TimeProvider clock)
{
    private readonly TimeProvider _clock = clock;

    public const int MaxValueBytes = 64 * 1024;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How much of an oversized value a dead letter keeps.</summary>
    public const int MaxDeadLetterPayloadBytes = 1024;

    /// <summary>A validator on the system clock.</summary>
    public RecordValidator()
        : this(TimeProvider.System)
    {
    }

    public ReadingValidation ValidateReading(SubjectKind kind, RawRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (kind is not (SubjectKind.Pegel or SubjectKind.Parking or SubjectKind.Bus))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "readings are pegel, parking or bus");

        // A static lambda over a state tuple: no closure per record.
        var problem = Guarded((Validator: this, Kind: kind, Record: record), static s => s.Validator.CheckReading(s.Kind, s.Record), record, out var reading);

        return problem is { } failed
            ? new ReadingValidation.Rejected(Dead(record, failed))
            : new ReadingValidation.Valid((Readings.Reading)reading!);
    }

    private (Problem? Problem, object? Value) CheckReading(SubjectKind kind, RawRecord record)
    {
        if (record.Value is null)
            return (Problem.NotJson("value is null, expected a JSON object"), null);
        var parsed = ContractParser.ParseReading(kind, record.Value, record.Key);
        if (parsed.Problem is { } p)
            return (p, null);
        var now = _clock.GetUtcNow();
        var at = parsed.Value!.ObservedAt;
        if (at - now > MaxClockSkew)
        {
            return (new Problem(DeadLetterReasons.FutureTimestamp,
                $"observedAt: {Rfc3339Text(at)} is {Describe(at - now)} after the processing clock ({Rfc3339Text(now)}); at most {MaxClockSkew.TotalMinutes:0} minutes are allowed"),
                parsed.Value);
        }

        return (null, parsed.Value);
    }

    public RegistryValidation ValidateRegistry(RawRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Value is null)
        {
            return ContractParser.TryParseSubjectKey(record.Key, out var kind, out var id)
                ? new RegistryValidation.Tombstone(kind, id)
                : new RegistryValidation.Rejected(Dead(record, Problem.Invalid(record.Key is null
                    ? "key: a tombstone (null value) needs a key {kind}/{id}, got no key"
                    : $"key: a tombstone (null value) needs a key {{kind}}/{{id}} with kind municipality, pegel, parking or bus, got {Fields.Quote(ContractParser.KeyText(record.Key))}")));
        }

        var problem = Guarded(record, static r =>
        {
            var parsed = ContractParser.ParseRegistry(r.Value!, r.Key, requireKey: true);
            return (parsed.Problem, parsed.Value);
        }, record, out var entry);

        return problem is { } failed
            ? new RegistryValidation.Rejected(Dead(record, failed))
            : new RegistryValidation.Entry((RegistryEntry)entry!);
    }

    /// <summary>
    /// The checks of a valid reading against its resolved registry entry: <c>occupied</c> (or <c>free</c>) above the
    /// capacity that applies is <c>out-of-range</c> when the capacity is the registry's. Null when the reading may be applied.
    /// </summary>
    public DeadLetter? CheckAgainstEntry(RawRecord record, Readings.Reading reading, SensorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(entry);
        return EntryChecks.Check(reading, entry) is { } problem ? Dead(record, problem) : null;
    }

    /// <summary>A dead letter for this record, e.g. <c>unknown-subject</c> decided after validation.</summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is not one of <see cref="DeadLetterReasons.All"/>.</exception>
    public DeadLetter Reject(RawRecord record, string reason, string error)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(error);
        if (!DeadLetterReasons.All.Contains(reason))
            throw new ArgumentException($"\"{reason}\" is not a contract dead-letter reason ({string.Join(", ", DeadLetterReasons.All)}).", nameof(reason));
        return Dead(record, new Problem(reason, error));
    }

    /// <summary>Size limit first, then the check; a defensive net turns an unexpected parser exception into a dead letter.</summary>
    private static Problem? Guarded<TState>(TState state, Func<TState, (Problem? Problem, object? Value)> check, RawRecord record, out object? value)
    {
        value = null;
        if (record.Value is { Length: > MaxValueBytes } large)
            return new Problem(DeadLetterReasons.TooLarge, $"value is {large.Length} bytes, over the limit of {MaxValueBytes} bytes");
        try
        {
            var (problem, result) = check(state);
            value = result;
            return problem;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException
                                       or ArgumentException or IndexOutOfRangeException or KeyNotFoundException)
        {
            return Problem.Invalid($"value could not be validated: {ex.Message}");
        }
    }

    private DeadLetter Dead(RawRecord record, Problem problem)
    {
        string error = problem.Error;
        string? payload = null, payloadBase64 = null;
        if (record.Value is { } value)
        {
            if (value.Length > MaxValueBytes)
            {
                var prefix = value.AsSpan(0, MaxDeadLetterPayloadBytes);
                var chars = new char[MaxDeadLetterPayloadBytes];
                var status = Utf8.ToUtf16(prefix, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: false);
                if (status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData)
                {
                    payload = new string(chars, 0, written);
                    error += $"; payload holds only the first {read} bytes";
                }
                else
                {
                    payloadBase64 = Convert.ToBase64String(prefix);
                    error += $"; payloadBase64 holds only the first {prefix.Length} bytes";
                }
            }
            else if (Utf8.IsValid(value))
            {
                payload = Encoding.UTF8.GetString(value);
            }
            else
            {
                payloadBase64 = Convert.ToBase64String(value);
            }
        }

        return new DeadLetter(record.Topic, record.Partition, record.Offset, record.KeyText, problem.Reason, error, payload,
            payloadBase64, _clock.GetUtcNow());
    }

    private static string Rfc3339Text(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} minutes" : $"{span.TotalSeconds:0.#} seconds";
}
