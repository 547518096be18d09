using Akka.Actor;

namespace Streams.Actors.Entities;

/// <summary>
/// Creates an entity with a plain delegate. <c>Props.Create(() => new X(a, b))</c> evaluates its constructor arguments
/// by compiling an expression per argument, for every entity started: with thousands of entities starting (a backlog,
/// a rebalance, passivated sensors waking) the JIT took a sixth of the node's CPU.
/// </summary>
internal sealed class EntityProducer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);

    public ActorBase Produce() => create();

    public void Release(ActorBase actor) { }

    public static Props Props(Func<TActor> create) => Akka.Actor.Props.CreateBy(new EntityProducer<TActor>(create));
}
