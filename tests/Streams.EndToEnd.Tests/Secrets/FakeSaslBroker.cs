using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Streams.EndToEnd.Tests.Secrets;

/// <summary>
/// Just enough of a Kafka broker for a client to authenticate with SASL/PLAIN (the embedded mock cluster has no
/// SASL): it answers ApiVersions (v0 only) and SaslHandshake v0 offering PLAIN, records the PLAIN token the client
/// sends next (authorization id, user name and password, NUL-separated) and hangs up.
/// </summary>
public sealed class FakeSaslBroker : IDisposable
{
    private const short SaslHandshake = 17, ApiVersions = 18, UnsupportedVersion = 35;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _tokens = new();

    public FakeSaslBroker()
    {
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public string Bootstrap => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The PLAIN tokens received, NULs shown as '|'.</summary>
    public IReadOnlyList<string> Tokens => _tokens.ToList();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var handshakeDone = false;
            while (await ReadFrame(stream, timeout.Token) is { } frame)
            {
                if (handshakeDone)
                {
                    _tokens.Enqueue(Encoding.UTF8.GetString(frame).Replace('\0', '|'));
                    return;
                }
                var apiKey = BinaryPrimitives.ReadInt16BigEndian(frame);
                var version = BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2));
                var correlationId = frame.AsSpan(4, 4).ToArray();
                var body = new List<byte>(correlationId);
                if (apiKey == ApiVersions && version > 0)
                {
                    Add(body, UnsupportedVersion); // the client asks again with v0
                    Add(body, 0);
                }
                else if (apiKey == ApiVersions)
                {
                    Add(body, (short)0);
                    Add(body, 2);
                    foreach (var key in new[] { SaslHandshake, ApiVersions }) { Add(body, key); Add(body, (short)0); Add(body, (short)0); }
                }
                else if (apiKey == SaslHandshake)
                {
                    Add(body, (short)0);
                    Add(body, 1);
                    Add(body, (short)5);
                    body.AddRange("PLAIN"u8.ToArray());
                    handshakeDone = true;
                }
                else
                {
                    return;
                }
                var length = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(length, body.Count);
                await stream.WriteAsync(length.Concat(body).ToArray(), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException) { }
    }

    private static void Add(List<byte> body, short value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, value);
        body.AddRange(b);
    }

    private static void Add(List<byte> body, int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        body.AddRange(b);
    }

    private static async Task<byte[]?> ReadFrame(NetworkStream stream, CancellationToken token)
    {
        var length = new byte[4];
        if (!await ReadExactly(stream, length, token)) return null;
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
        return await ReadExactly(stream, frame, token) ? frame : null;
    }

    private static async Task<bool> ReadExactly(NetworkStream stream, byte[] buffer, CancellationToken token)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, token);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
