using Akka.Actor;
using Akka.Cluster;
using Confluent.Kafka;
using Streams.Host.Ingestion;

namespace Streams.Host.Admin;

/// <summary>
/// One per node at <see cref="Path"/>: answers which readings partitions this node's consumer holds, so any node's
/// admin endpoint can name the owner of every partition (the broker's group view is not needed for that).
/// </summary>
public sealed class AssignmentReporter : ReceiveActor
{
    public const string Name = "streams-assignment";
    public const string Path = "/user/" + Name;

    public sealed record Query;

    public sealed record Report(string Node, IReadOnlyList<string> Partitions);

    public AssignmentReporter(Func<IReadOnlyCollection<TopicPartition>> assignment)
    {
        var self = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<Query>(_ => Sender.Tell(new Report(self, assignment().Select(Key).ToList())));
    }

    public static string Key(TopicPartition tp) => $"{tp.Topic}/{tp.Partition.Value}";

    /// <summary>Asks every up member; a member that does not answer in time owns nothing in the result.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OwnersAsync(ActorSystem system, TimeSpan timeout)
    {
        var members = Cluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up).ToList();
        var asks = members.Select(async m =>
        {
            try { return await system.ActorSelection(m.Address + Path).Ask<Report>(new Query(), timeout); }
            catch (Exception) { return null; }
        });
        var owners = new Dictionary<string, string>();
        foreach (var report in await Task.WhenAll(asks))
            if (report is not null)
                foreach (var p in report.Partitions) owners[p] = report.Node;
        return owners;
    }
}

/// <summary>Starts this node's <see cref="AssignmentReporter"/> once the actor system runs.</summary>
public sealed class AssignmentReporterService(ActorSystem system, ReadingsService ingestion) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        system.ActorOf(Props.Create(() => new AssignmentReporter(
            () => ingestion.Control == null ? Array.Empty<TopicPartition>() : ingestion.Control.Assignment)), AssignmentReporter.Name);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
