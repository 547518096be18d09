using System.Text;

namespace Streams.Host.Http.Streaming;

/// <summary>
/// <c>GET /api/stream?municipality=</c>: server-sent events <c>hello</c> (the stream's position), <c>aggregate</c>,
/// <c>alert</c>, <c>subject</c>, <c>subject-removed</c> and <c>reset</c> (load the state afresh), each with an <c>id:</c> to resume from, and a
/// heartbeat comment after every quiet <see cref="LiveStreamOptions.HeartbeatSeconds"/>.
/// </summary>
public static class LiveStreamEndpoint
{
    public static WebApplication MapLiveStream(this WebApplication app)
    {
        app.MapGet("/api/stream", async (HttpContext http, string? municipality, string? lastEventId, StreamHub hub, LiveQueries queries,
                LiveStreamOptions options, CancellationToken ct) =>
            {
                if (municipality is not null && !queries.IsKnownMunicipality(municipality))
                    return Results.NotFound(new { error = $"no municipality '{municipality}' in the registry" });
                // Browsers resume with the Last-Event-ID header; the query parameter serves clients that cannot set headers.
                var resumeFrom = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
                http.Response.ContentType = "text/event-stream; charset=utf-8";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
                var client = hub.Subscribe(municipality, resumeFrom);
                try
                {
                    await Write(http, Encoding.UTF8.GetBytes($"retry: {options.ReconnectMilliseconds}\n\n"), ct);
                    await Pump(http, client, TimeSpan.FromSeconds(options.HeartbeatSeconds), ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // the browser went away
                }
                finally
                {
                    hub.Unsubscribe(client);
                }
                return Results.Empty;
            })
            .WithTags("live")
            .WithSummary("Server-sent events: aggregates, alerts and changed subjects as they happen; resumable by Last-Event-ID");
        return app;
    }

    private static async Task Pump(HttpContext http, StreamClient client, TimeSpan heartbeat, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(heartbeat);
            bool more;
            try
            {
                more = await client.Reader.WaitToReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await Write(http, ": heartbeat\n\n"u8.ToArray(), ct);
                continue;
            }
            if (!more) return; // dropped: too slow
            while (client.Reader.TryRead(out var e)) await http.Response.Body.WriteAsync(e.Frame, ct);
            await http.Response.Body.FlushAsync(ct);
        }
    }

    private static async Task Write(HttpContext http, byte[] bytes, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(bytes, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
