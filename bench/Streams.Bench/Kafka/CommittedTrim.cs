using Confluent.Kafka;

namespace Streams.Bench.Kafka;

/// <summary>
/// Deletes from the reading partitions what the host's group has committed, every interval, as a broker's retention
/// would. The mock cluster finds a fetch's position by walking the partition's log from its start, one step per message
/// set (librdkafka's <c>rd_kafka_mock_msgset_find</c>, which keeps no offset index). A writer at a fixed rate writes a
/// message set per record or two, so after a minute at 5,000 readings/s every fetch walked tens of thousands of steps
/// and the mock's thread took a whole core of the machine the host runs on. A real broker finds the position in its
/// offset index; deleting what is committed keeps the mock's walk as short as the records in flight.
/// Only committed records are deleted: a consumer of the group resumes at its committed offset, never before it.
/// </summary>
public sealed class CommittedTrim : IDisposable
{
    private readonly BenchCluster _cluster;
    private readonly GroupWatch _group;
    private readonly TimeSpan _interval;
    private readonly Dictionary<TopicPartition, long> _trimmedTo = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _deleted;

    public CommittedTrim(BenchCluster cluster, GroupWatch group, TimeSpan interval)
    {
        _cluster = cluster;
        _group = group;
        _interval = interval;
    }

    /// <summary>Records deleted so far.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    public void Start() => _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);

    /// <summary>Stops the loop and deletes up to the group's committed offsets once more.</summary>
    public void StopAndTrim()
    {
        Stop();
        TrimOnce();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TrimOnce();
            _stop.Token.WaitHandle.WaitOne(_interval);
        }
    }

    private void TrimOnce()
    {
        lock (_trimmedTo)
            foreach (var (tp, committed) in _group.CommittedOffsets())
            {
                var from = _trimmedTo.GetValueOrDefault(tp);
                if (committed <= from) continue;
                try
                {
                    _cluster.DeleteRecordsBefore(tp.Topic, tp.Partition.Value, committed);
                }
                catch (KafkaException e)
                {
                    Console.WriteLine($"[bench] could not delete committed records of {tp}: {e.Error.Reason}");
                    continue;
                }
                _trimmedTo[tp] = committed;
                Interlocked.Add(ref _deleted, committed - from);
            }
    }

    private void Stop()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(15));
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
