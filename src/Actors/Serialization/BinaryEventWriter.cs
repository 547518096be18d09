using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Streams.Actors.Serialization;

/// <summary>Writes an event's fields into a pooled buffer; <see cref="ToArray"/> copies out exactly what was written.</summary>
internal struct BinaryEventWriter(int initialCapacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _length;

    public void Byte(byte value) => Span(1)[0] = value;

    public void Int(int value) => BinaryPrimitives.WriteInt32LittleEndian(Span(4), value);

    public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Span(8), value);

    /// <summary>Clock ticks and offset minutes: the offset given is kept, not only the instant.</summary>
    public void Time(DateTimeOffset value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Span(8), value.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(Span(2), checked((short)(value.Offset.Ticks / TimeSpan.TicksPerMinute)));
    }

    public void VarUInt(uint value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    public void String(string value) => Utf8(value, 0);

    /// <summary>Null as length 0, else the length + 1.</summary>
    public void OptionalString(string? value)
    {
        if (value is null)
            VarUInt(0);
        else
            Utf8(value, 1);
    }

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Span(value.Length));

    public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Utf8(string value, uint lengthBias)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        VarUInt((uint)length + lengthBias);
        Encoding.UTF8.GetBytes(value, Span(length));
    }

    /// <summary>The next <paramref name="size"/> bytes of the buffer, grown when needed, counted as written.</summary>
    private Span<byte> Span(int size)
    {
        if (_length + size > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var span = _buffer.AsSpan(_length, size);
        _length += size;
        return span;
    }
}
