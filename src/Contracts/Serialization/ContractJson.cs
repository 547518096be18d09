using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Validation;

namespace Streams.Contracts.Serialization;

/// <summary>
/// Serialization of the contract's records. Outputs (alerts, aggregates, dead letters) go through the
/// source-generated <see cref="ContractJsonContext"/>; inputs (registry entries, readings) are written by hand in
/// exactly the contract's shape (with <c>kind</c> for registry entries, optional fields omitted when absent).
/// </summary>
/// <remarks>
/// Output is compact UTF-8 JSON, camelCase, without indentation, properties in declaration order, so equal
/// values always give byte-identical output. Times keep their original offset (<c>2026-11-25T10:15:00+01:00</c>;
/// UTC is written as <c>+00:00</c>); fractional seconds are written only when non-zero. Non-ASCII text
/// (e.g. <c>≥</c> in alert messages) is written as UTF-8, not as <c>\uXXXX</c> escapes.
/// </remarks>
public static class ContractJson
{
    /// <summary>The source-generated context used for all output records (camelCase, compact, UTF-8 text unescaped).</summary>
    public static ContractJsonContext Context { get; } = new(CreateOptions());

    /// <summary>The options of <see cref="Context"/>, e.g. for a host that wants to plug them into its own serializer.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    public static byte[] Serialize(AlertEvent value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.AlertEvent);

    public static byte[] Serialize(MunicipalityAggregate value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, Context.MunicipalityAggregate);

    public static byte[] Serialize(DeadLetter value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.DeadLetter);

    /// <summary>
    /// Reads a contract record. Output records (<see cref="AlertEvent"/>, <see cref="MunicipalityAggregate"/>,
    /// <see cref="DeadLetter"/> and their parts) use the source-generated context. Input records
    /// (<see cref="PegelReading"/>, <see cref="ParkingReading"/>, <see cref="BusPosition"/>, <see cref="RegistryEntry"/>
    /// and its subtypes) are read with the same rules as <see cref="RecordValidator"/> (defaults applied, no key and no
    /// clock check); a violation throws <see cref="JsonException"/> with the validator's message.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not a valid <typeparamref name="T"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a contract type.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
    {
        if (typeof(Reading).IsAssignableFrom(typeof(T)))
        {
            SubjectKind kind = typeof(T) == typeof(PegelReading) ? SubjectKind.Pegel
                : typeof(T) == typeof(ParkingReading) ? SubjectKind.Parking
                : typeof(T) == typeof(BusPosition) ? SubjectKind.Bus
                : throw new NotSupportedException($"Deserialize a concrete reading type, not {typeof(T).Name}.");
            var result = ContractParser.ParseReading(kind, utf8, key: null);
            return result.Problem is { } p ? throw new JsonException($"{p.Reason}: {p.Error}") : (T)(object)result.Value!;
        }

        if (typeof(RegistryEntry).IsAssignableFrom(typeof(T)))
        {
            var result = ContractParser.ParseRegistry(utf8, key: null, requireKey: false);
            if (result.Problem is { } p)
                throw new JsonException($"{p.Reason}: {p.Error}");
            return result.Value is T typed
                ? typed
                : throw new JsonException($"invalid-field: kind: expected a {typeof(T).Name}, got \"{result.Value!.Kind.ToWire()}\"");
        }

        var info = Context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new NotSupportedException($"{typeof(T).Name} is not a contract record.");
        return JsonSerializer.Deserialize(utf8, info) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");
    }

    /// <summary>A registry entry as the value written to <c>streams.registry</c> (key: <see cref="RegistryEntry.Subject"/>).</summary>
    public static byte[] SerializeRegistryEntry(RegistryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", entry.Kind.ToWire());
            w.WriteString("id", entry.Id);
            switch (entry)
            {
                case MunicipalityEntry m:
                    WriteOptional(w, "name", m.Name);
                    if (m.Boundary is { } boundary)
                    {
                        w.WritePropertyName("boundary");
                        boundary.WriteTo(w);
                    }
                    break;
                case PegelEntry p:
                    w.WriteString("municipality", p.Municipality);
                    WriteOptional(w, "name", p.Name);
                    WriteOptional(w, "water", p.Water);
                    WriteOptional(w, "lat", p.Lat);
                    WriteOptional(w, "lon", p.Lon);
                    w.WriteStartArray("stagesCm");
                    foreach (var stage in p.StagesCm)
                        w.WriteNumberValue(stage);
                    w.WriteEndArray();
                    w.WriteNumber("hysteresisCm", p.HysteresisCm);
                    WriteOptional(w, "riseCmPerHour", p.RiseCmPerHour);
                    w.WriteNumber("expectedIntervalSeconds", p.ExpectedIntervalSeconds);
                    break;
                case ParkingEntry p:
                    w.WriteString("municipality", p.Municipality);
                    WriteOptional(w, "name", p.Name);
                    w.WriteNumber("capacity", p.Capacity);
                    w.WriteNumber("almostFullPercent", p.AlmostFullPercent);
                    w.WriteNumber("clearPercent", p.ClearPercent);
                    w.WriteNumber("expectedIntervalSeconds", p.ExpectedIntervalSeconds);
                    break;
                case BusEntry b:
                    w.WriteString("municipality", b.Municipality);
                    WriteOptional(w, "name", b.Name);
                    w.WriteNumber("delayAlertSeconds", b.DelayAlertSeconds);
                    w.WriteNumber("delayClearSeconds", b.DelayClearSeconds);
                    w.WriteNumber("expectedIntervalSeconds", b.ExpectedIntervalSeconds);
                    break;
                default:
                    throw new NotSupportedException($"Unknown registry entry type {entry.GetType().Name}.");
            }

            w.WriteEndObject();
        });
    }

    /// <summary>A reading as the value written to its readings topic (key: <see cref="Reading.SubjectId"/>).</summary>
    public static byte[] SerializeReading(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Write(w =>
        {
            w.WriteStartObject();
            switch (reading)
            {
                case PegelReading p:
                    w.WriteString("stationId", p.StationId);
                    w.WriteString("observedAt", p.ObservedAt);
                    w.WriteNumber("levelCm", p.LevelCm);
                    break;
                case ParkingReading p:
                    w.WriteString("facilityId", p.FacilityId);
                    w.WriteString("observedAt", p.ObservedAt);
                    WriteOptional(w, "free", p.Free);
                    WriteOptional(w, "occupied", p.Occupied);
                    WriteOptional(w, "capacity", p.Capacity);
                    break;
                case BusPosition b:
                    w.WriteString("vehicleId", b.VehicleId);
                    w.WriteString("observedAt", b.ObservedAt);
                    w.WriteNumber("lat", b.Lat);
                    w.WriteNumber("lon", b.Lon);
                    WriteOptional(w, "routeId", b.RouteId);
                    WriteOptional(w, "tripId", b.TripId);
                    WriteOptional(w, "delaySeconds", b.DelaySeconds);
                    WriteOptional(w, "bearing", b.Bearing);
                    WriteOptional(w, "speedMps", b.SpeedMps);
                    WriteOptional(w, "municipality", b.Municipality);
                    break;
                default:
                    throw new NotSupportedException($"Unknown reading type {reading.GetType().Name}.");
            }

            w.WriteEndObject();
        });
    }

    private static JsonSerializerOptions CreateOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
    }
}

/// <summary>Source-generated metadata for the contract's output records (camelCase, compact).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(MunicipalityAggregate))]
[JsonSerializable(typeof(DeadLetter))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
