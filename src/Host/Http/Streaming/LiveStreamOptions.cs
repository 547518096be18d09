namespace Streams.Host.Http.Streaming;

/// <summary><c>Streams:LiveStream</c>: the server-sent events of <c>/api/stream</c>.</summary>
public sealed class LiveStreamOptions
{
    public const string Section = "Streams:LiveStream";

    /// <summary>A comment line is sent after this much silence, so proxies and browsers keep the connection.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events queued per client; a client that falls this far behind is dropped (it reconnects and resumes).</summary>
    public int ClientQueue { get; set; } = 256;

    /// <summary>Recent events kept so that a reconnecting client resumes from its Last-Event-ID.</summary>
    public int ReplayEvents { get; set; } = 4096;

    /// <summary>How long after its last client left a municipality's subject changes are still produced for resuming browsers.</summary>
    public int ResumeWindowSeconds { get; set; } = 120;

    /// <summary>How long a browser waits before reconnecting (the SSE <c>retry:</c> field).</summary>
    public int ReconnectMilliseconds { get; set; } = 1000;
}
