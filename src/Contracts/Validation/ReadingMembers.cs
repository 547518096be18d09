using System.Text;
using System.Text.Json;
using Streams.Contracts.Readings;

namespace Streams.Contracts.Validation;

/// <summary>
/// The fields of one reading, read during the allocation-free structural pass instead of from a JSON document.
/// It accepts only what is plainly valid: a wrong type, an escaped id or timestamp, a key that differs, a value out of
/// range all make it decline, and the document-based parser then names the problem with the contract's message.
/// It is a shortcut, never a second opinion: a property test checks that it accepts nothing the document-based parser
/// rejects, that its readings are equal, and that it accepts every valid reading without escapes.
/// </summary>
internal struct ReadingMembers(SubjectKind kind, byte[]? key) : ITopLevelMembers
{
    private const int MaxTimestampChars = 64;

    private string? _id;
    private DateTimeOffset? _observedAt;
    private double? _levelCm, _lat, _lon, _bearing, _speedMps;
    private int? _free, _occupied, _capacity, _delaySeconds;
    private string? _routeId, _tripId, _municipality;

    public bool Take(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return true; // a null field is an absent one
        if (name.SequenceEqual("observedAt"u8))
            return Timestamp(ref reader, out _observedAt);
        return kind switch
        {
            SubjectKind.Pegel => TakePegel(name, ref reader),
            SubjectKind.Parking => TakeParking(name, ref reader),
            SubjectKind.Bus => TakeBus(name, ref reader),
            _ => false,
        };
    }

    private bool TakePegel(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (name.SequenceEqual("stationId"u8)) return Id(ref reader);
        if (name.SequenceEqual("levelCm"u8)) return Number(ref reader, out _levelCm);
        return true;
    }

    private bool TakeParking(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (name.SequenceEqual("facilityId"u8)) return Id(ref reader);
        if (name.SequenceEqual("free"u8)) return Integer(ref reader, out _free);
        if (name.SequenceEqual("occupied"u8)) return Integer(ref reader, out _occupied);
        if (name.SequenceEqual("capacity"u8)) return Integer(ref reader, out _capacity);
        return true;
    }

    private bool TakeBus(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (name.SequenceEqual("vehicleId"u8)) return Id(ref reader);
        if (name.SequenceEqual("lat"u8)) return Number(ref reader, out _lat);
        if (name.SequenceEqual("lon"u8)) return Number(ref reader, out _lon);
        if (name.SequenceEqual("routeId"u8)) return String(ref reader, out _routeId);
        if (name.SequenceEqual("tripId"u8)) return String(ref reader, out _tripId);
        if (name.SequenceEqual("delaySeconds"u8)) return Integer(ref reader, out _delaySeconds);
        if (name.SequenceEqual("bearing"u8)) return Number(ref reader, out _bearing);
        if (name.SequenceEqual("speedMps"u8)) return Number(ref reader, out _speedMps);
        if (name.SequenceEqual("municipality"u8)) return String(ref reader, out _municipality) && _municipality!.Length > 0;
        return true;
    }

    /// <summary>The reading when every field is present, typed and in range; null otherwise (and after a declined value).</summary>
    public readonly Reading? TryBuild()
    {
        if (_id is not { } id || _observedAt is not { } at || at < ContractParser.EarliestObservedAt)
            return null;
        switch (kind)
        {
            case SubjectKind.Pegel:
                return _levelCm is { } level && level >= ContractParser.MinLevelCm && level <= ContractParser.MaxLevelCm
                    ? new PegelReading(id, at, level)
                    : null;
            case SubjectKind.Parking:
                if (_free is null && _occupied is null) return null;
                if (_free < 0 || _occupied < 0 || _capacity <= 0 || _free > _capacity || _occupied > _capacity) return null;
                return new ParkingReading(id, at, _free, _occupied, _capacity);
            case SubjectKind.Bus:
                return _lat is { } lat && lat is >= -90 and <= 90 && _lon is { } lon && lon is >= -180 and <= 180
                    ? new BusPosition(id, at, lat, lon, _routeId, _tripId, _delaySeconds, _bearing, _speedMps, _municipality)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>A non-empty id, equal byte for byte to the record's key when there is one.</summary>
    private bool Id(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.IsEmpty)
            return false;
        if (key is not null && !reader.ValueSpan.SequenceEqual(key))
            return false;
        _id = Encoding.UTF8.GetString(reader.ValueSpan);
        return true;
    }

    private static bool String(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
            return false;
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped lone surrogate
        }
    }

    private static bool Timestamp(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        var utf8 = reader.ValueSpan;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || utf8.Length > MaxTimestampChars)
            return false;
        Span<char> chars = stackalloc char[MaxTimestampChars];
        if (!Encoding.UTF8.TryGetChars(utf8, chars, out var written) || !Rfc3339.TryParse(chars[..written], out var at))
            return false;
        value = at;
        return true;
    }

    private static bool Number(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        // A number that overflows (1e999) reads as an infinity.
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var d) || !double.IsFinite(d))
            return false;
        value = d;
        return true;
    }

    private static bool Integer(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (!Number(ref reader, out var number) || number is not { } d || Math.Floor(d) != d || d is < int.MinValue or > int.MaxValue)
            return false;
        value = (int)d;
        return true;
    }
}
