using System.Diagnostics;
using Streams.Actors.Ingestion;
using Streams.Actors.Kafka;
using Streams.Host.Status;

namespace Streams.Host.Ingestion;

/// <summary>How a stream is restarted: backoff doubling from Min to Max; after MaxFailuresInARow failures that each
/// ran less than StableAfter, the stream is given up and liveness fails.</summary>
public sealed record SupervisionSettings
{
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(2);
    public int MaxFailuresInARow { get; init; } = 10;

    /// <summary>How long a failed stream's consumer may take to close (final commit, group leave) before the next one starts.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Runs one stream (a graph with a consumer) for the life of the node: whenever it fails or completes without being
/// asked to, it is started again after a backoff (a committable source resumes from the committed offsets). Each
/// restart is counted and logged, readiness says why the stream is not working, and a stream that keeps failing
/// marks the process as not live.
/// </summary>
public sealed class StreamSupervisor(
    string stream,
    string readinessCondition,
    SupervisionSettings settings,
    Readiness readiness,
    Liveness liveness,
    PipelineMetrics metrics,
    ILogger logger)
{
    private int _stopping;

    /// <summary>From now on an ending of the stream is expected (drain), not a failure.</summary>
    public void Stopping() => Volatile.Write(ref _stopping, 1);

    private bool IsStopping => Volatile.Read(ref _stopping) == 1;

    /// <param name="start">Materializes the stream once more.</param>
    /// <param name="started">Called with each new materialization (before it can fail).</param>
    public async Task RunAsync(Func<(IConsumerControl Control, Task Completion)> start, Action<IConsumerControl> started, CancellationToken stoppingToken)
    {
        var backoff = settings.MinBackoff;
        var failuresInARow = 0;
        while (!stoppingToken.IsCancellationRequested && !IsStopping)
        {
            var ran = Stopwatch.StartNew();
            IConsumerControl? control = null;
            Exception failure;
            try
            {
                var (c, completion) = start();
                control = c;
                started(c);
                await completion.WaitAsync(stoppingToken).ConfigureAwait(false);
                failure = new InvalidOperationException($"the {stream} stream completed without being stopped");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            if (IsStopping) return;

            // The failed stream's consumer commits what is done and leaves its group before the next one joins.
            if (control is not null)
                await Task.WhenAny(control.Completion, Task.Delay(settings.CloseTimeout, stoppingToken)).ConfigureAwait(false);
            if (ran.Elapsed >= settings.StableAfter)
            {
                failuresInARow = 0;
                backoff = settings.MinBackoff;
            }
            failuresInARow++;
            if (failuresInARow > settings.MaxFailuresInARow)
            {
                var reason = $"the {stream} stream failed {failuresInARow} times in a row, last: {failure.Message}";
                logger.LogCritical(failure, "Giving up on the {Stream} stream: {Reason}; the process is no longer live", stream, reason);
                readiness.Set(readinessCondition, reason);
                liveness.Dead(stream, reason);
                return;
            }
            metrics.StreamRestarted(stream);
            readiness.Set(readinessCondition, $"{stream} stream failed ({failure.Message}); restarting in {backoff.TotalSeconds:0.#} s (failure {failuresInARow} in a row)");
            logger.LogError(failure, "The {Stream} stream failed after {Ran:0.#} s; restarting in {Backoff:0.#} s (failure {Count} in a row)",
                stream, ran.Elapsed.TotalSeconds, backoff.TotalSeconds, failuresInARow);
            try
            {
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
        }
    }
}
