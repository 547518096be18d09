using Akka.Actor;
using Akka.Persistence;
using Streams.Bench.Report;

namespace Streams.Bench.Floor;

/// <summary>
/// Today's design reduced to its building blocks: one sharded persistent actor per subject; each reading is one ask
/// through the region, one event persisted, one answer. The first round starts (and recovers) every entity, the later
/// rounds find them live.
/// </summary>
internal static class EntityPerSubject
{
    public static Task Run(Figures figures, FloorOptions o, Action<string> progress)
    {
        var ids = FloorOptions.Ids(o.Subjects);
        return FloorRounds.Run(figures, o, progress, "subject", id => FloorSystem.Producer<SubjectEntity>.Props(() => new SubjectEntity(id)),
            (region, round) => (ids.Length, async i =>
            {
                var answer = await region.Ask<Applied>(new Apply(ids[i], round), o.AskTimeout).ConfigureAwait(false);
                if (answer.Count != round) throw new InvalidOperationException($"{ids[i]}: count {answer.Count}, expected {round}");
            }),
            round => round == 1 ? "entity_start" : $"entity_round{round}");
    }

    private sealed record Apply(string EntityId, long Value) : IFloorCommand;

    private sealed record Applied(long Count);

    private sealed record Changed(long Value);

    private sealed class SubjectEntity(string id) : UntypedPersistentActor
    {
        private long _count;
        private long _sum;

        public override string PersistenceId { get; } = "floor-subject-" + id;

        protected override void OnCommand(object message)
        {
            if (message is not Apply apply)
            {
                Unhandled(message);
                return;
            }
            var asker = Sender;
            _count++;
            _sum += apply.Value;
            var count = _count;
            PersistAsync(new Changed(apply.Value), _ => asker.Tell(new Applied(count)));
        }

        protected override void OnRecover(object message)
        {
            if (message is not Changed changed) return;
            _count++;
            _sum += changed.Value;
        }
    }
}
