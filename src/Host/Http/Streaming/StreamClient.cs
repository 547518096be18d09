using System.Threading.Channels;

namespace Streams.Host.Http.Streaming;

/// <summary>One connected browser: a bounded queue the hub writes to without ever waiting.</summary>
public sealed class StreamClient(string? municipality, int capacity)
{
    private readonly Channel<StreamEvent> _queue = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the hub drops the client instead of waiting
    });

    public string? Municipality { get; } = municipality;

    public ChannelReader<StreamEvent> Reader => _queue.Reader;

    /// <summary>False when the queue is full (the client is too slow) or the client is gone.</summary>
    public bool TryWrite(StreamEvent e) => _queue.Writer.TryWrite(e);

    /// <summary>Ends the client's stream: its reader drains what is queued, then sees the end.</summary>
    public void Close() => _queue.Writer.TryComplete();
}
