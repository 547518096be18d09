using Akka.Actor;
using Akka.Cluster.Sharding;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>The node's limit of live sensors: beyond it, the least recently used sensor asks its shard to passivate it.</summary>
public sealed class SensorLiveLimitSpec(ITestOutputHelper output) : EntityTestKit(output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static ParkingEntry CarPark(string id) => new(id, "05766044", id, 100, 90, 85, 300);

    private static ApplyReadings Apply(string id, int minutes) =>
        new(id, [new EntryReading(CarPark(id), new ParkingReading(id, T0.AddMinutes(minutes), 50, null, null))]);

    [Fact]
    public void Starting_one_sensor_more_than_the_limit_passivates_the_least_recently_used_through_its_shard()
    {
        var ctx = NewContext(new EntityTuning { MaxLiveSensors = 2 });
        ctx.Regions.Set(SubjectKind.Municipality, CreateTestProbe().Ref);
        var shard = Sys.ActorOf(Props.Create(() => new PassivatingShard(ctx, TestActor)));

        shard.Tell(("p1", Apply("p1", 0)));
        ExpectMsg<ReadingsAck>();
        shard.Tell(("p2", Apply("p2", 0)));
        ExpectMsg<ReadingsAck>();
        shard.Tell(("p1", Apply("p1", 5))); // p1 is now the more recently used
        ExpectMsg<ReadingsAck>();

        shard.Tell(("p3", Apply("p3", 0)));

        // p3's acknowledgment and p2's stop race each other: take both, in whichever order they come.
        var answers = ReceiveN(2);
        Assert.Single(answers.OfType<ReadingsAck>());
        Assert.Equal(["p2"], answers.OfType<string>()); // the shard was asked to passivate p2, and it stopped
        Assert.Equal(1, ctx.Metrics.SensorsPassivatedForLimit);
        AwaitAssert(() => Assert.Equal(2, ctx.LiveSensors.Count));
    }

    /// <summary>Stands in for a shard: creates sensors as its children, and on Passivate sends the stop message and reports who stopped.</summary>
    private sealed class PassivatingShard : ReceiveActor
    {
        public PassivatingShard(EntityContext ctx, IActorRef testActor)
        {
            Receive<(string Id, ApplyReadings Command)>(m =>
            {
                var sensor = Context.Child(m.Id);
                if (sensor.IsNobody()) sensor = Context.ActorOf(SensorEntity.Props(SubjectKind.Parking, m.Id, ctx), m.Id);
                sensor.Tell(m.Command, testActor);
            });
            Receive<Passivate>(p =>
            {
                Context.Watch(Sender);
                Sender.Tell(p.StopMessage);
            });
            Receive<Terminated>(t => testActor.Tell(t.ActorRef.Path.Name));
        }
    }
}
