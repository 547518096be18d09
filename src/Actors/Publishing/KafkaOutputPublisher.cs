using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;

namespace Streams.Actors.Publishing;

/// <summary>
/// One idempotent producer stream shared by every entity of this node. Records are produced in call order, so a
/// subject's alerts (published by its single entity one batch at a time) keep their order. If the producer stage
/// fails (a delivery timed out after a long outage, a fatal idempotence error, a record over message.max.bytes), the
/// publications it took fail, callers retry, and the stream is started again after a pause (counted in
/// <see cref="Restarts"/>). A publication not acknowledged within the timeout fails too, so no caller waits forever.
/// </summary>
public sealed class KafkaOutputPublisher : OutputPublisherBase, IDisposable
{
    public static readonly TimeSpan DefaultPublishTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);

    private readonly Channel<Publication> _requests =
        Channel.CreateBounded<Publication>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProducerSettings _settings;
    private readonly TimeSpan _publishTimeout;
    private readonly PipelineMetrics? _metrics;
    private Task _loop = Task.CompletedTask;
    private long _restarts;
    private int _disposed;

    /// <summary>Publications are queued until <see cref="Start"/> gives the stream an actor system to run in.</summary>
    public KafkaOutputPublisher(ProducerSettings settings, OutputTopics topics, TimeSpan? publishTimeout = null, PipelineMetrics? metrics = null)
        : base(topics)
    {
        _metrics = metrics;
        _settings = settings;
        _publishTimeout = publishTimeout ?? DefaultPublishTimeout;
    }

    /// <summary>How often the producer stream failed and was started again.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    public void Start(ActorSystem system)
    {
        var log = Logging.GetLogger(system, nameof(KafkaOutputPublisher));
        var materializer = system.Materializer(namePrefix: "output-publisher");
        _loop = Task.Run(() => RunAsync(materializer, log));
    }

    private async Task RunAsync(IMaterializer materializer, ILoggingAdapter log)
    {
        while (!_stopping.IsCancellationRequested)
        {
            using var run = new ProducerRun();
            Exception cause = new IOException("output producer stopped");
            try
            {
                await run.From(_requests.Reader)
                    .Via(KafkaProducer.Flow<Publication>(_settings))
                    .RunForeach(run.Delivered, materializer)
                    .ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                cause = new IOException($"output producer failed: {ex.Message}", ex);
            }
            var abandoned = await run.AbandonAsync(cause).ConfigureAwait(false);
            if (_requests.Reader.Completion.IsCompleted) break;
            if (_stopping.IsCancellationRequested) break;
            var restarts = Interlocked.Increment(ref _restarts);
            _metrics?.StreamRestarted("publisher");
            log.Error(cause, "Output producer stream ended ({0} publication(s) failed, their callers retry); restart {1} in {2}",
                abandoned, restarts, RestartPause);
            try
            {
                await Task.Delay(RestartPause, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
        }
    }

    /// <exception cref="TimeoutException">Not acknowledged within the publish timeout (it may still arrive: callers retry, consumers deduplicate).</exception>
    public override async Task PublishAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        var publication = new Publication(records);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_publishTimeout);
        try
        {
            await _requests.Writer.WriteAsync(publication, deadline.Token).ConfigureAwait(false);
            await publication.Done.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"publication of {records.Count} record(s) to {records[0].Topic} not acknowledged within {_publishTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Stops taking new publications and waits (up to <paramref name="timeout"/>) for those queued or in flight.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _requests.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(timeout)).ConfigureAwait(false);
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
