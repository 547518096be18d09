using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Streams.Actors.Kafka;

namespace Streams.Actors.Publishing;

/// <summary>
/// One idempotent producer stream shared by every entity of this node. Records are produced in call order, so a
/// subject's alerts (published by its single entity one batch at a time) keep their order. If the producer stage
/// fails, pending publications fail (callers retry) and the stream is started again after a pause.
/// </summary>
public sealed class KafkaOutputPublisher : IOutputPublisher, IDisposable
{
    private readonly Channel<ProducerEnvelope<TaskCompletionSource>> _requests =
        Channel.CreateBounded<ProducerEnvelope<TaskCompletionSource>>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProducerSettings _settings;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    /// <summary>Publications are queued until <see cref="Start"/> gives the stream an actor system to run in.</summary>
    public KafkaOutputPublisher(ProducerSettings settings) => _settings = settings;

    public void Start(ActorSystem system)
    {
        var settings = _settings;
        var log = Logging.GetLogger(system, nameof(KafkaOutputPublisher));
        var materializer = system.Materializer(namePrefix: "output-publisher");
        _loop = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                var inFlight = new List<TaskCompletionSource>();
                try
                {
                    await ChannelSource(_requests.Reader, _stopping.Token)
                        .Select(e => { lock (inFlight) inFlight.Add(e.PassThrough); return e; })
                        .Via(KafkaProducer.Flow<TaskCompletionSource>(settings))
                        .RunForeach(tcs => { lock (inFlight) inFlight.Remove(tcs); tcs.TrySetResult(); }, materializer)
                        .ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    log.Error(ex, "Output producer failed; pending publications fail and are retried by their callers");
                }
                lock (inFlight) foreach (var tcs in inFlight) tcs.TrySetException(new IOException("output producer failed"));
                if (_requests.Reader.Completion.IsCompleted) break;
                if (!_stopping.IsCancellationRequested) await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        });
    }

    public async Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _requests.Writer.WriteAsync(new ProducerEnvelope<TaskCompletionSource>(records, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Source<ProducerEnvelope<TaskCompletionSource>, NotUsed> ChannelSource(
        ChannelReader<ProducerEnvelope<TaskCompletionSource>> reader, CancellationToken stop) =>
        Source.UnfoldAsync(0, async _ =>
        {
            try
            {
                var item = await reader.ReadAsync(stop).ConfigureAwait(false);
                return Akka.Util.Option<(int, ProducerEnvelope<TaskCompletionSource>)>.Create((0, item));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                return Akka.Util.Option<(int, ProducerEnvelope<TaskCompletionSource>)>.None;
            }
        });

    /// <summary>Stops taking new records and waits for the ones in flight.</summary>
    public async Task StopAsync()
    {
        _requests.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0) _stopping.Cancel();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _requests.Writer.TryComplete();
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
