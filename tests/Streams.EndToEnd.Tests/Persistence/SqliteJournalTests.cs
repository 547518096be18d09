using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Streams.Host.Composition;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>
/// The host's SQLite journal and snapshot store (Akka.Persistence.Sql with plain recovery reads and combined writes):
/// many actors persisting at once, some taking snapshots, all recover exactly what they wrote, in order, and go on
/// numbering their events from where they stopped.
/// </summary>
public sealed class SqliteJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streams-journal-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteJournalTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Concurrent_writers_recover_every_event_in_order_with_and_without_snapshots()
    {
        const int actors = 40;
        const int events = 25;
        var connection = $"Data Source={Path.Combine(_dir, "journal.db")}";
        SqliteTuning.UseWriteAheadLog(connection);

        using (var system = ActorSystem.Create("write", Config(connection)))
        {
            var writers = Enumerable.Range(0, actors).Select(i => system.ActorOf(Props.Create(() => new Counter($"c-{i}")))).ToList();
            for (var n = 1; n <= events; n++)
                foreach (var writer in writers) writer.Tell(n);
            foreach (var writer in writers)
                Assert.Equal(Expected(events), await writer.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }

        using (var system = ActorSystem.Create("read", Config(connection)))
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

    [Fact]
    public async Task One_atomic_write_longer_than_an_insert_statement_is_stored_whole_and_replays_in_order()
    {
        var events = 2 * SqliteJournalInserts.RowsPerStatement + 6;
        var connection = $"Data Source={Path.Combine(_dir, "batch.db")}";
        SqliteTuning.UseWriteAheadLog(connection);
        using (var system = ActorSystem.Create("write", Config(connection)))
        {
            var writer = system.ActorOf(Props.Create(() => new Counter("batch")));
            writer.Tell(Enumerable.Range(1, events).ToArray());
            Assert.Equal(Expected(events), await writer.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }
        using (var system = ActorSystem.Create("read", Config(connection)))
        {
            var reader = system.ActorOf(Props.Create(() => new Counter("batch")));
            Assert.Equal(Expected(events), await reader.Ask<string>(Counter.Durable, TimeSpan.FromSeconds(30)));
            Assert.Equal(events, await reader.Ask<long>(Counter.SequenceNr, TimeSpan.FromSeconds(30)));
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Combined_writes_answer_each_caller_its_own_slice()
    {
        var pending = new PendingJournalWrites();
        var first = pending.Add([Write("a", 1), Write("b", 1)]);
        var second = pending.Add([Write("a", 2)]);
        var writes = pending.Take(out var complete);
        Assert.Equal(["a", "b", "a"], writes.Select(w => w.PersistenceId));
        Assert.True(pending.IsEmpty);
        var rejected = new InvalidOperationException("not serializable");
        complete(Task.FromResult<System.Collections.Immutable.IImmutableList<Exception>>(
            System.Collections.Immutable.ImmutableList.Create<Exception>(null!, rejected, null!)));
        Assert.Equal(new Exception?[] { null, rejected }, await first);
        Assert.Equal(new Exception?[] { null }, await second);
    }

    private static AtomicWrite Write(string persistenceId, long sequenceNr) =>
        new(new Persistent(sequenceNr, sequenceNr, persistenceId));

    private static string Expected(int events) => string.Join(",", Enumerable.Range(1, events));

    private static Config Config(string connection) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.sql"
        akka.persistence.journal.sql {
          class = "{{typeof(SqliteWriteJournal).AssemblyQualifiedName}}"
          connection-string = "{{connection}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
          parallelism = 1
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
        akka.persistence.snapshot-store.sql {
          class = "{{typeof(SqliteSnapshotStore).AssemblyQualifiedName}}"
          connection-string = "{{connection}}"
          provider-name = "SQLite.MS"
          auto-initialize = on
        }
        """);

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
