using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Streams.Actors.Kafka;
using Streams.Host.Ingestion;

namespace Streams.Host.Metrics;

/// <summary>
/// The node's share of the meters (<see cref="MeterName"/>): consumer lag per partition (the same
/// <see cref="IConsumerControl.Lag"/> the status line sums), entities per shard region on this node, cluster members,
/// and rebalances of the readings consumer. A rebalance's duration is the time this node's consumer spent between
/// losing partitions and its next assignment.
/// </summary>
public sealed class NodeMeters : BackgroundService
{
    public const string MeterName = "Streams.Node";
    private static readonly TimeSpan RegionPoll = TimeSpan.FromSeconds(10);

    private readonly ActorSystem _system;
    private readonly ReadingsService _ingestion;
    private readonly Meter _meter;
    private readonly Counter<long> _rebalances;
    private readonly Histogram<double> _rebalanceDuration;
    private readonly ConcurrentDictionary<string, int> _entitiesPerRegion = new();
    private long _revokedAt;

    public NodeMeters(ActorSystem system, ReadingsService ingestion, IMeterFactory meterFactory)
    {
        _system = system;
        _ingestion = ingestion;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("streams.consumer.lag", ObserveLag, "{record}", "Per assigned partition: end offset minus next offset to consume");
        _meter.CreateObservableGauge("streams.entities", () => _entitiesPerRegion.Select(kv =>
            new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("region", kv.Key))), "{entity}", "Entities per shard region on this node");
        _meter.CreateObservableGauge("streams.cluster.members", ObserveMembers, "{member}", "Cluster members by status, as this node sees them");
        _rebalances = _meter.CreateCounter<long>("streams.rebalances", "{rebalance}", "Assignment changes of the readings consumer (assigned or revoked)");
        _rebalanceDuration = _meter.CreateHistogram<double>("streams.rebalance.duration", "s", "From losing partitions to the next assignment");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConsumerControl? subscribed = null;
        using var timer = new PeriodicTimer(RegionPoll);
        try
        {
            do
            {
                if (_ingestion.Control is { } control && !ReferenceEquals(control, subscribed))
                {
                    control.AssignmentChanged += OnAssignmentChanged;
                    subscribed = control;
                }
                await PollRegions().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) { }
    }

    private void OnAssignmentChanged(AssignmentChange change)
    {
        if (change.Revoked.Count > 0)
        {
            _rebalances.Add(1, new KeyValuePair<string, object?>("change", "revoked"));
            Interlocked.CompareExchange(ref _revokedAt, Stopwatch.GetTimestamp(), 0);
        }
        if (change.Assigned.Count > 0)
        {
            _rebalances.Add(1, new KeyValuePair<string, object?>("change", "assigned"));
            var since = Interlocked.Exchange(ref _revokedAt, 0);
            if (since != 0) _rebalanceDuration.Record(Stopwatch.GetElapsedTime(since).TotalSeconds);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        IReadOnlyDictionary<Confluent.Kafka.TopicPartition, long> lag;
        try { lag = _ingestion.Control?.Lag() ?? new Dictionary<Confluent.Kafka.TopicPartition, long>(); }
        catch (Exception) { yield break; }
        foreach (var (tp, value) in lag)
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>("topic", tp.Topic),
                new KeyValuePair<string, object?>("partition", tp.Partition.Value));
    }

    private IEnumerable<Measurement<int>> ObserveMembers() =>
        Akka.Cluster.Cluster.Get(_system).State.Members.GroupBy(m => m.Status)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("status", g.Key.ToString())));

    private async Task PollRegions()
    {
        var sharding = ClusterSharding.Get(_system);
        foreach (var type in sharding.ShardTypeNames)
        {
            try
            {
                var stats = await sharding.ShardRegion(type).Ask<ShardRegionStats>(GetShardRegionStats.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                _entitiesPerRegion[type] = stats.Stats.Values.Sum();
            }
            catch (Exception) { _entitiesPerRegion.TryRemove(type, out _); }
        }
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}
