using System.Buffers.Binary;
using System.Text;

namespace Streams.Actors.Serialization;

/// <summary>Reads what <see cref="BinaryEventWriter"/> wrote, in the same order; a short buffer throws.</summary>
internal ref struct BinaryEventReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly bool AtEnd => _position == _bytes.Length;

    public readonly int Remaining => _bytes.Length - _position;

    public byte Byte() => Take(1)[0];

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public DateTimeOffset Time()
    {
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(Take(2));
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
    }

    public uint VarUInt()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Byte();
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }

        throw new OverflowException("a varint longer than 5 bytes");
    }

    public string String() => Encoding.UTF8.GetString(Bytes(checked((int)VarUInt())));

    public string? OptionalString() => VarUInt() is var biased and > 0 ? Encoding.UTF8.GetString(Bytes(checked((int)(biased - 1)))) : null;

    public ReadOnlySpan<byte> Bytes(int length) => Take(length);

    private ReadOnlySpan<byte> Take(int length)
    {
        var span = _bytes.Slice(_position, length);
        _position += length;
        return span;
    }
}
