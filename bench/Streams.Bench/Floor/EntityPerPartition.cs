using Akka.Actor;
using Akka.Persistence;
using Streams.Bench.Report;

namespace Streams.Bench.Floor;

/// <summary>
/// The alternative the notes propose, reduced the same way: one sharded persistent actor per partition, holding the
/// state of its subjects in a map. The readings of a pull (<c>--batch</c>) go to each partition as one command, are
/// persisted as one event and answered once. A subject's first reading adds it to the map: there is no start.
/// </summary>
internal static class EntityPerPartition
{
    public static Task Run(Figures figures, FloorOptions o, Action<string> progress)
    {
        var ids = FloorOptions.Ids(o.Subjects);
        return FloorRounds.Run(figures, o, progress, "partition", id => FloorSystem.Producer<PartitionEntity>.Props(() => new PartitionEntity(id)),
            (region, round) =>
            {
                var batches = Batches(ids, o.Batch, o.Shards, round);
                return (batches.Count, async i =>
                {
                    var batch = batches[i];
                    var answer = await region.Ask<Applied>(batch, o.AskTimeout).ConfigureAwait(false);
                    var expected = (long)batch.Ids.Length * round;
                    if (answer.CountSum != expected) throw new InvalidOperationException($"partition {batch.EntityId}: counts {answer.CountSum}, expected {expected}");
                });
            },
            round => round == 1 ? "partition_first" : $"partition_round{round}");
    }

    /// <summary>The subjects in pulls of <paramref name="batch"/>, each pull split by partition (= shard).</summary>
    private static List<ApplyBatch> Batches(string[] ids, int batch, int partitions, long value)
    {
        var result = new List<ApplyBatch>();
        for (var start = 0; start < ids.Length; start += batch)
        {
            var byPartition = new Dictionary<int, List<string>>();
            foreach (var id in ids.AsSpan(start, Math.Min(batch, ids.Length - start)))
            {
                var p = FloorSystem.ShardOf(id, partitions);
                if (!byPartition.TryGetValue(p, out var list)) byPartition[p] = list = [];
                list.Add(id);
            }
            result.AddRange(byPartition.Select(kv => new ApplyBatch(kv.Key.ToString(), [.. kv.Value], value)));
        }
        return result;
    }

    // The partition id doubles as its entity id: the region's shard of "7" is 7 only by accident of the hash, which
    // does not matter here (one node holds every shard).
    private sealed record ApplyBatch(string EntityId, string[] Ids, long Value) : IFloorCommand;

    private sealed record Applied(long CountSum);

    private sealed record Changed(string[] Ids, long Value);

    private sealed class PartitionEntity(string id) : UntypedPersistentActor
    {
        private readonly Dictionary<string, (long Count, long Sum)> _subjects = new(StringComparer.Ordinal);

        public override string PersistenceId { get; } = "floor-partition-" + id;

        protected override void OnCommand(object message)
        {
            if (message is not ApplyBatch batch)
            {
                Unhandled(message);
                return;
            }
            var asker = Sender;
            var countSum = Apply(batch.Ids, batch.Value);
            PersistAsync(new Changed(batch.Ids, batch.Value), _ => asker.Tell(new Applied(countSum)));
        }

        protected override void OnRecover(object message)
        {
            if (message is Changed changed) Apply(changed.Ids, changed.Value);
        }

        private long Apply(string[] ids, long value)
        {
            var countSum = 0L;
            foreach (var subject in ids)
            {
                var (count, sum) = _subjects.GetValueOrDefault(subject);
                _subjects[subject] = (count + 1, sum + value);
                countSum += count + 1;
            }
            return countSum;
        }
    }
}
