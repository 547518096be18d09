using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>What every journal store of the host must do, run against SQLite and PostgreSQL alike.</summary>
public static class JournalScenarios
{
    /// <summary>
    /// 40 actors persist 25 events each at once (some take snapshots); a new system recovers exactly those, in order,
    /// and the actors go on numbering from where they stopped; an id never written recovers empty.
    /// </summary>
    public static async Task ConcurrentWritersRecoverEveryEventInOrder(Config config)
    {
        const int actors = 40;
        const int events = 25;
        using (var system = ActorSystem.Create("write", config))
        {
            var writers = Enumerable.Range(0, actors).Select(i => system.ActorOf(Props.Create(() => new Counter($"c-{i}")))).ToList();
            for (var n = 1; n <= events; n++)
                foreach (var writer in writers) writer.Tell(n);
            foreach (var writer in writers)
                Assert.Equal(Expected(events), await writer.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }

        using (var system = ActorSystem.Create("read", config))
        {
            for (var i = 0; i < actors; i++)
            {
                var reader = system.ActorOf(Props.Create(() => new Counter($"c-{i}")));
                Assert.Equal(Expected(events), await reader.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
                reader.Tell(events + 1);
                Assert.Equal(Expected(events + 1), await reader.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
                Assert.Equal(events + 1L, await reader.Ask<long>(Counter.SequenceNr, TimeSpan.FromSeconds(30)));
            }
            var fresh = system.ActorOf(Props.Create(() => new Counter("never-written")));
            Assert.Equal("", await fresh.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }
    }

    /// <summary>One atomic write of <paramref name="events"/> events is stored whole and replays in order.</summary>
    public static async Task OneAtomicWriteReplaysInOrder(Config config, int events)
    {
        using (var system = ActorSystem.Create("write", config))
        {
            var writer = system.ActorOf(Props.Create(() => new Counter("batch")));
            writer.Tell(Enumerable.Range(1, events).ToArray());
            Assert.Equal(Expected(events), await writer.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }
        using (var system = ActorSystem.Create("read", config))
        {
            var reader = system.ActorOf(Props.Create(() => new Counter("batch")));
            Assert.Equal(Expected(events), await reader.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            Assert.Equal(events, await reader.Ask<long>(Counter.SequenceNr, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }
    }

    /// <summary>
    /// One entity moves from node A to node B and back to A, as shards do in rebalances (two systems, one journal
    /// each, one database); a third node recovers the events of all three stays and numbers on from there.
    /// </summary>
    public static async Task AnEntityBackOnANodeItLeftRecoversEveryEvent(Config config)
    {
        var a = ActorSystem.Create("node-a", config);
        var b = ActorSystem.Create("node-b", config);
        var c = ActorSystem.Create("node-c", config);
        try
        {
            await Stay(a, 1, 2);
            await Stay(b, 3, 4);
            await Stay(a, 5, 6);

            var reader = c.ActorOf(Props.Create(() => new Counter("moving")));
            Assert.Equal(Expected(6), await reader.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            Assert.Equal(6L, await reader.Ask<long>(Counter.SequenceNr, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate(), c.Terminate());
        }

        static async Task Stay(ActorSystem node, params int[] numbers)
        {
            var entity = node.ActorOf(Props.Create(() => new Counter("moving")));
            foreach (var n in numbers) entity.Tell(n);
            Assert.Equal(Expected(numbers[^1]), await entity.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            Assert.True(await entity.GracefulStop(TimeSpan.FromSeconds(10)));
        }
    }

    public static string Expected(int events) => string.Join(",", Enumerable.Range(1, events));

    /// <summary>
    /// Persists each number it is told (without waiting, as the sensors do), an array of them as one atomic write; a
    /// snapshot every 7 single events; "c-0" to "c-9" never.
    /// </summary>
    private sealed class Counter : UntypedPersistentActor
    {
        public static readonly object Durable = "durable";
        public static readonly object SequenceNr = "sequence-nr";
        private readonly List<int> _numbers = [];
        private readonly List<IActorRef> _waiting = [];
        private readonly bool _snapshots;
        private int _inFlight;

        public Counter(string id)
        {
            PersistenceId = id;
            _snapshots = id.Length > 3;
        }

        public override string PersistenceId { get; }

        protected override void OnRecover(object message)
        {
            switch (message)
            {
                case SnapshotOffer { Snapshot: int[] numbers }:
                    _numbers.Clear();
                    _numbers.AddRange(numbers);
                    break;
                case int n:
                    _numbers.Add(n);
                    break;
            }
        }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case int n:
                    _inFlight++;
                    PersistAsync(n, e =>
                    {
                        _numbers.Add(e);
                        if (_snapshots && _numbers.Count % 7 == 0) SaveSnapshot(_numbers.ToArray());
                        if (--_inFlight == 0) AnswerWaiting();
                    });
                    break;
                case int[] batch:
                    // One atomic write of all of them.
                    _inFlight += batch.Length;
                    PersistAll(batch, e =>
                    {
                        _numbers.Add(e);
                        if (--_inFlight == 0) AnswerWaiting();
                    });
                    break;
                case "durable":
                    // Not DeferAsync: with nothing to persist Akka.Persistence.Sql fails on the empty write it makes.
                    _waiting.Add(Sender);
                    if (_inFlight == 0) AnswerWaiting();
                    break;
                case "sequence-nr":
                    Sender.Tell(LastSequenceNr);
                    break;
            }
        }

        private void AnswerWaiting()
        {
            foreach (var asker in _waiting) asker.Tell(string.Join(",", _numbers));
            _waiting.Clear();
        }
    }
}
