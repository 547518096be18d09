using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streams.Contracts.Serialization;

/// <summary>Writes a time in UTC with a <c>Z</c> (<c>2026-11-25T09:15:04Z</c>, fractions only when non-zero); reads any RFC 3339 time.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
