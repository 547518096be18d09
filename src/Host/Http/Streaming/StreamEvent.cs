using System.Text;

namespace Streams.Host.Http.Streaming;

/// <summary>One server-sent event, framed once and written as is to every client that wants it.</summary>
public sealed record StreamEvent(long Seq, string Type, string? Municipality, byte[] Frame)
{
    public static StreamEvent Create(string epoch, long seq, string type, string? municipality, ReadOnlySpan<byte> json)
    {
        // JSON written by System.Text.Json without indentation has no line breaks, so it fits one data: line.
        var header = $"id: {epoch}-{seq}\nevent: {type}\ndata: ";
        var frame = new byte[Encoding.UTF8.GetByteCount(header) + json.Length + 2];
        var written = Encoding.UTF8.GetBytes(header, frame);
        json.CopyTo(frame.AsSpan(written));
        "\n\n"u8.CopyTo(frame.AsSpan(written + json.Length));
        return new StreamEvent(seq, type, municipality, frame);
    }

    /// <summary>Whether a client watching <paramref name="watched"/> (null: every municipality) wants this event.</summary>
    public bool IsFor(string? watched) => watched is null || Municipality is null || Municipality == watched;
}
