using System.Text;

namespace Streams.Host.Http.Streaming;

/// <summary>One server-sent event, framed once and written as is to every client that wants it.</summary>
public sealed record StreamEvent(long Seq, string Type, string? Municipality, byte[] Frame)
{
    public static StreamEvent Create(string epoch, long seq, string type, string? municipality, ReadOnlySpan<byte> json)
    {
        // JSON written by System.Text.Json without indentation has no line breaks, so it fits one data: line.
        var frame = new List<byte>(json.Length + 64);
        frame.AddRange(Encoding.UTF8.GetBytes($"id: {epoch}-{seq}\nevent: {type}\ndata: "));
        frame.AddRange(json);
        frame.AddRange("\n\n"u8);
        return new StreamEvent(seq, type, municipality, frame.ToArray());
    }

    /// <summary>Whether a client watching <paramref name="watched"/> (null: every municipality) wants this event.</summary>
    public bool IsFor(string? watched) => watched is null || Municipality is null || Municipality == watched;
}
