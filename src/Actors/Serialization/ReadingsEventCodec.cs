using System.Runtime.Serialization;
using System.Text.Json;
using Streams.Actors.Entities;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Serialization;

/// <summary>
/// A compact binary form of <see cref="SensorReadingsApplied"/>, the event written for nearly every reading, under the
/// manifest <see cref="Manifest"/>. Journals keep their older JSON form (<c>sensor.readings.v1</c>) readable.
/// </summary>
/// <remarks>
/// <para>Layout, little-endian: format version (1 byte, 1); wall clock; reading count (varint); per reading a kind tag
/// (1 pegel, 2 parking, 3 bus), the subject id, observedAt, the kind's fields, then the registry entry (0 = none,
/// 1 = its JSON, varint-length-prefixed: entries are rare and shaped like the registry's records).</para>
/// <para>A time is the clock ticks (int64) and the offset in minutes (int16), so the offset given survives. A string
/// is a varint UTF-8 length and the bytes; an optional one stores length + 1, with 0 for none. Optional numbers are
/// announced by a flags byte before them.</para>
/// </remarks>
public static class ReadingsEventCodec
{
    public const string Manifest = "sensor.readings.v2";

    private const byte FormatVersion = 1;
    private const byte PegelTag = 1, ParkingTag = 2, BusTag = 3;
    private const byte NoEntry = 0, JsonEntry = 1;

    public static byte[] Write(SensorReadingsApplied applied)
    {
        var w = new BinaryEventWriter(64 + 48 * applied.Readings.Count);
        try
        {
            w.Byte(FormatVersion);
            w.Time(applied.WallClock);
            w.VarUInt((uint)applied.Readings.Count);
            foreach (var item in applied.Readings)
            {
                WriteReading(ref w, item.Reading);
                WriteEntry(ref w, item.Entry);
            }

            return w.ToArray();
        }
        finally
        {
            w.Dispose();
        }
    }

    public static SensorReadingsApplied Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var r = new BinaryEventReader(bytes);
            if (r.Byte() is var version && version != FormatVersion)
                throw new SerializationException($"{Manifest}: unknown format version {version}");
            var wallClock = r.Time();
            var count = (int)r.VarUInt();
            var readings = new AppliedReading[count];
            for (var i = 0; i < count; i++)
                readings[i] = new AppliedReading(ReadReading(ref r), ReadEntry(ref r));
            if (!r.AtEnd)
                throw new SerializationException($"{Manifest}: {r.Remaining} bytes after the last reading");
            return new SensorReadingsApplied(readings, wallClock);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or JsonException or OverflowException)
        {
            throw new SerializationException($"{Manifest}: the event is cut short or damaged ({ex.Message})", ex);
        }
    }

    private static void WriteReading(ref BinaryEventWriter w, Reading reading)
    {
        switch (reading)
        {
            case PegelReading p:
                w.Byte(PegelTag);
                w.String(p.StationId);
                w.Time(p.ObservedAt);
                w.Double(p.LevelCm);
                break;
            case ParkingReading p:
                w.Byte(ParkingTag);
                w.String(p.FacilityId);
                w.Time(p.ObservedAt);
                w.Byte(Flags(p.Free.HasValue, p.Occupied.HasValue, p.Capacity.HasValue));
                if (p.Free is { } free) w.Int(free);
                if (p.Occupied is { } occupied) w.Int(occupied);
                if (p.Capacity is { } capacity) w.Int(capacity);
                break;
            case BusPosition b:
                w.Byte(BusTag);
                w.String(b.VehicleId);
                w.Time(b.ObservedAt);
                w.Double(b.Lat);
                w.Double(b.Lon);
                w.Byte(Flags(b.DelaySeconds.HasValue, b.Bearing.HasValue, b.SpeedMps.HasValue));
                if (b.DelaySeconds is { } delay) w.Int(delay);
                if (b.Bearing is { } bearing) w.Double(bearing);
                if (b.SpeedMps is { } speed) w.Double(speed);
                w.OptionalString(b.RouteId);
                w.OptionalString(b.TripId);
                w.OptionalString(b.Municipality);
                break;
            default:
                throw new SerializationException($"{Manifest}: no binary form for {reading.GetType().Name}");
        }
    }

    private static Reading ReadReading(ref BinaryEventReader r)
    {
        switch (r.Byte())
        {
            case PegelTag:
                return new PegelReading(r.String(), r.Time(), r.Double());
            case ParkingTag:
            {
                var id = r.String();
                var at = r.Time();
                var flags = r.Byte();
                int? free = Has(flags, 0) ? r.Int() : null;
                int? occupied = Has(flags, 1) ? r.Int() : null;
                int? capacity = Has(flags, 2) ? r.Int() : null;
                return new ParkingReading(id, at, free, occupied, capacity);
            }
            case BusTag:
            {
                var id = r.String();
                var at = r.Time();
                var lat = r.Double();
                var lon = r.Double();
                var flags = r.Byte();
                int? delay = Has(flags, 0) ? r.Int() : null;
                double? bearing = Has(flags, 1) ? r.Double() : null;
                double? speed = Has(flags, 2) ? r.Double() : null;
                return new BusPosition(id, at, lat, lon, r.OptionalString(), r.OptionalString(), delay, bearing, speed, r.OptionalString());
            }
            case var tag:
                throw new SerializationException($"{Manifest}: unknown reading tag {tag}");
        }
    }

    private static void WriteEntry(ref BinaryEventWriter w, SensorEntry? entry)
    {
        if (entry is null)
        {
            w.Byte(NoEntry);
            return;
        }

        w.Byte(JsonEntry);
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, StreamsJsonSerializer.Options);
        w.VarUInt((uint)json.Length);
        w.Bytes(json);
    }

    private static SensorEntry? ReadEntry(ref BinaryEventReader r) => r.Byte() switch
    {
        NoEntry => null,
        JsonEntry => JsonSerializer.Deserialize<SensorEntry>(r.Bytes((int)r.VarUInt()), StreamsJsonSerializer.Options)
            ?? throw new SerializationException($"{Manifest}: a null registry entry"),
        var marker => throw new SerializationException($"{Manifest}: unknown entry marker {marker}"),
    };

    private static byte Flags(bool a, bool b, bool c) => (byte)((a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0));

    private static bool Has(byte flags, int bit) => (flags & (1 << bit)) != 0;
}
