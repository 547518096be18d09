using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;

namespace Streams.Bench.Floor;

/// <summary>
/// A one-node cluster with sharding and a journal that keeps nothing (<see cref="DiscardingJournal"/>): the building
/// blocks of the host without Kafka, SQLite, validation or rules, so that what they cost alone can be measured.
/// </summary>
internal static class FloorSystem
{
    private const string Hocon = """
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
          cluster.min-nr-of-members = 1
          persistence {
            journal.plugin = "akka.persistence.journal.discard"
            journal.discard {
              class = "Streams.Bench.Floor.DiscardingJournal, Streams.Bench"
              plugin-dispatcher = "akka.actor.default-dispatcher"
              replay-filter.mode = off
            }
            snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            max-concurrent-recoveries = 100
          }
        }
        """;

    public static async Task<ActorSystem> Start(string name)
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString(Hocon));
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return system;
    }

    /// <summary>A region whose entities never passivate (the host's sensors sleep only beyond its live limit).</summary>
    public static IActorRef StartRegion(ActorSystem system, string typeName, Func<string, Props> props, int shards) =>
        ClusterSharding.Get(system).Start(typeName, props,
            ClusterShardingSettings.Create(system).WithRememberEntities(false).WithPassivateIdleAfter(TimeSpan.Zero),
            new ModuloExtractor(shards));

    public static int ShardOf(string entityId, int shards) => (int)((uint)StringComparer.Ordinal.GetHashCode(entityId) % (uint)shards);

    /// <summary>Creates actors with a delegate, as the host does (Props.Create's expression costs a compile per entity).</summary>
    public sealed class Producer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);
        public ActorBase Produce() => create();
        public void Release(ActorBase actor) { }
        public static Props Props(Func<TActor> create) => Akka.Actor.Props.CreateBy(new Producer<TActor>(create));
    }

    private sealed class ModuloExtractor(int shards) : IMessageExtractor
    {
        public string? EntityId(object message) => (message as IFloorCommand)?.EntityId;
        public object? EntityMessage(object message) => message;
        public string? ShardId(object message) => EntityId(message) is { } id ? ShardId(id) : null;
        public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId, shards).ToString();
    }
}

internal interface IFloorCommand
{
    string EntityId { get; }
}
