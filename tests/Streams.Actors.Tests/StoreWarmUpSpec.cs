using System.Collections.Immutable;
using Akka;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit.Xunit2;
using Streams.Actors.Persistence;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

public sealed class StoreWarmUpSpec(ITestOutputHelper output) : EntityTestKit(output)
{
    [Fact]
    public async Task The_warm_up_can_run_at_every_start_and_keeps_only_its_latest_snapshot()
    {
        for (var start = 1; start <= 3; start++)
        {
            await Run("streams-warm-up-node-a", recoverOnly: false);
            await Run("streams-warm-up-node-a", recoverOnly: true);
        }

        var dir = Sys.Settings.Config.GetString("akka.persistence.snapshot-store.local.dir");
        var snapshots = Directory.GetFiles(dir).Where(f => f.Contains("streams-warm-up-node-a")).ToList();
        Assert.Single(snapshots);
        Assert.Matches(@"-3-\d+$", Path.GetFileName(snapshots[0])); // written at sequence number 3: numbers go on across starts
    }

    private async Task Run(string persistenceId, bool recoverOnly)
    {
        var done = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        Sys.ActorOf(StoreWarmUp.Props(persistenceId, recoverOnly, done));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }
}

public sealed class StoreWarmUpOnARefusingJournalSpec(ITestOutputHelper output) : TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.actor.serializers.streams-json = "Streams.Actors.Serialization.StreamsJsonSerializer, Streams.Actors"
        akka.actor.serialization-bindings { "Streams.Actors.Entities.IStreamsMessage, Streams.Actors" = streams-json }
        akka.persistence.journal.plugin = "akka.persistence.journal.refusing"
        akka.persistence.journal.refusing {
            class = "Streams.Actors.Tests.RefusingJournal, Streams.Actors.Tests"
            plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    [Fact]
    public async Task A_journal_that_fails_the_write_fails_the_warm_up_with_its_reason()
    {
        var done = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        Sys.ActorOf(StoreWarmUp.Props("streams-warm-up-node-b", recoverOnly: false, done));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => done.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("disk full", failure.GetBaseException().Message);
    }
}

/// <summary>A journal whose every write fails, as a full disk or a lost database would.</summary>
public sealed class RefusingJournal : AsyncWriteJournal
{
    public override Task ReplayMessagesAsync(Akka.Actor.IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr,
        long max, Action<IPersistentRepresentation> recoveryCallback) => Task.CompletedTask;

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        Task.FromResult(0L);

    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) =>
        Task.FromException<IImmutableList<Exception?>>(new IOException("disk full"));

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        Task.FromException(new IOException("disk full"));
}
