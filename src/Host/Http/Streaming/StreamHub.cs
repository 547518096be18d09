using System.Globalization;

namespace Streams.Host.Http.Streaming;

/// <summary>
/// Fans this node's one subscription to the output topics out to every connected browser. Publishing never waits for
/// a client: each has a bounded queue, and a client whose queue is full is dropped (its browser reconnects and resumes
/// from its Last-Event-ID, or starts afresh if that is no longer kept). Event ids are <c>{epoch}-{seq}</c>; the epoch
/// changes with every start of the process, so a browser that reconnects to a restarted node starts afresh.
/// </summary>
public sealed class StreamHub(LiveStreamOptions options, ILogger<StreamHub> logger)
{
    private readonly object _gate = new();
    private readonly string _epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    private readonly Queue<StreamEvent> _recent = new();
    private readonly List<StreamClient> _clients = [];
    private readonly Dictionary<string, DateTimeOffset> _lastWatched = new(); // "" = all municipalities
    private long _seq;
    private long _dropped;

    public int Clients
    {
        get { lock (_gate) return _clients.Count; }
    }

    /// <summary>Clients dropped because they fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Whether a client watches this municipality (or all of them), or did so within the resume window: the events of
    /// a dropped connection keep being produced, so that its browser finds them when it resumes.
    /// </summary>
    public bool IsWatched(string municipality)
    {
        lock (_gate)
        {
            if (_clients.Any(c => c.Municipality is null || c.Municipality == municipality)) return true;
            var since = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(options.ResumeWindowSeconds);
            return (_lastWatched.TryGetValue(municipality, out var m) && m > since) || (_lastWatched.TryGetValue("", out var all) && all > since);
        }
    }

    public void Publish(string type, string? municipality, ReadOnlySpan<byte> json)
    {
        List<StreamClient>? slow = null;
        lock (_gate)
        {
            var e = StreamEvent.Create(_epoch, ++_seq, type, municipality, json);
            _recent.Enqueue(e);
            while (_recent.Count > options.ReplayEvents) _recent.Dequeue();
            foreach (var client in _clients)
            {
                if (e.IsFor(client.Municipality) && !client.TryWrite(e)) (slow ??= []).Add(client);
            }
            if (slow is not null)
            {
                _clients.RemoveAll(slow.Contains);
                foreach (var client in slow) _lastWatched[client.Municipality ?? ""] = DateTimeOffset.UtcNow;
            }
        }
        if (slow is null) return;
        foreach (var client in slow)
        {
            client.Close();
            Interlocked.Increment(ref _dropped);
        }
        logger.LogInformation("Live stream: dropped {Count} client(s) that fell {Queue} events behind", slow.Count, options.ClientQueue);
    }

    /// <summary>
    /// A new client. With a <paramref name="lastEventId"/> of this epoch that is still kept, it first gets the events
    /// it missed; otherwise (a restarted node, or too far behind) a <c>reset</c> event tells it to load the state afresh.
    /// Without one it gets a <c>hello</c> event whose id is the stream's position.
    /// </summary>
    public StreamClient Subscribe(string? municipality, string? lastEventId)
    {
        var client = new StreamClient(municipality, options.ClientQueue);
        lock (_gate)
        {
            var missed = Missed(municipality, lastEventId);
            if (missed is null)
            {
                // A new client learns where the stream stands, so that it can resume even if nothing happens before it
                // loses the connection; one that cannot resume is told to load the state afresh.
                client.TryWrite(StreamEvent.Create(_epoch, _seq, lastEventId is null ? "hello" : "reset", null, "{}"u8));
            }
            else
            {
                // More missed events than the queue holds: load afresh instead.
                if (missed.Count >= options.ClientQueue) client.TryWrite(StreamEvent.Create(_epoch, _seq, "reset", null, "{}"u8));
                else foreach (var e in missed) client.TryWrite(e);
            }
            _clients.Add(client);
        }
        return client;
    }

    public void Unsubscribe(StreamClient client)
    {
        lock (_gate)
        {
            if (_clients.Remove(client)) _lastWatched[client.Municipality ?? ""] = DateTimeOffset.UtcNow;
        }
        client.Close();
    }

    /// <summary>The kept events after <paramref name="lastEventId"/>, or null when it cannot be resumed from.</summary>
    private List<StreamEvent>? Missed(string? municipality, string? lastEventId)
    {
        if (lastEventId is null) return null;
        var dash = lastEventId.LastIndexOf('-');
        if (dash <= 0 || lastEventId[..dash] != _epoch
            || !long.TryParse(lastEventId[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq > _seq)
            return null;
        if (seq < _seq && (_recent.Count == 0 || _recent.Peek().Seq > seq + 1)) return null;
        return _recent.Where(e => e.Seq > seq && e.IsFor(municipality)).ToList();
    }
}
