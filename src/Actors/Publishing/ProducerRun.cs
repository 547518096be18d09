using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;
using Akka.Util;
using Streams.Actors.Kafka;

namespace Streams.Actors.Publishing;

/// <summary>A publication waiting in the channel: its records and the task its caller awaits.</summary>
internal sealed class Publication(IReadOnlyList<ProducerRecord> records)
{
    public ProducerEnvelope<Publication> Envelope => new(records, this);
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// One materialization of the publisher's producer stream. Every publication it takes from the channel is its own
/// from that moment: delivered, or failed by <see cref="AbandonAsync"/> once the stream ended. Its read of the
/// channel is cancelled when it ends, so a stream that died cannot take a later publication that nobody completes.
/// </summary>
internal sealed class ProducerRun : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly HashSet<Publication> _taken = [];
    private Task _pendingRead = Task.CompletedTask;

    public Source<ProducerEnvelope<Publication>, NotUsed> From(ChannelReader<Publication> reader) =>
        Source.UnfoldAsync(0, _ =>
        {
            var read = Take(reader);
            Volatile.Write(ref _pendingRead, read);
            return read;
        });

    private async Task<Option<(int, ProducerEnvelope<Publication>)>> Take(ChannelReader<Publication> reader)
    {
        try
        {
            var publication = await reader.ReadAsync(_ended.Token).ConfigureAwait(false);
            lock (_taken) _taken.Add(publication);
            return Option<(int, ProducerEnvelope<Publication>)>.Create((0, publication.Envelope));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return Option<(int, ProducerEnvelope<Publication>)>.None;
        }
    }

    public void Delivered(Publication publication)
    {
        lock (_taken) _taken.Remove(publication);
        publication.Done.TrySetResult();
    }

    /// <summary>The stream ended: stop reading the channel, then fail whatever it took and did not deliver.</summary>
    public async Task<int> AbandonAsync(Exception cause)
    {
        await _ended.CancelAsync().ConfigureAwait(false);
        await Volatile.Read(ref _pendingRead).ConfigureAwait(false); // never throws: Take catches its own ends
        List<Publication> abandoned;
        lock (_taken)
        {
            abandoned = [.. _taken];
            _taken.Clear();
        }
        foreach (var publication in abandoned) publication.Done.TrySetException(cause);
        return abandoned.Count;
    }

    public void Dispose() => _ended.Dispose();
}
