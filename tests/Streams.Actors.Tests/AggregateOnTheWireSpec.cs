using System.Collections.Immutable;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using Streams.Actors.Aggregates;
using Streams.Contracts;
using Streams.Contracts.Outputs;

namespace Streams.Actors.Tests;

/// <summary>
/// A municipality's aggregate is an answer that crosses nodes (ops and HTTP ask any node): it must survive the
/// serializer Akka picks for it. A collection type the compiler makes up for a collection expression did not.
/// </summary>
public sealed class AggregateOnTheWireSpec : TestKit
{
    [Fact]
    public void The_running_aggregate_comes_back_equal_through_the_serializer_that_carries_it_between_nodes()
    {
        var members = new MunicipalityMembers("05766044");
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        members.Report(members.Join(SubjectKind.Pegel, "g1"),
            new SensorSummary(SubjectKind.Pegel, "g1", "05766044", at, false, 1, 2, true, null, null, null, false, false, null, false));
        var aggregate = members.Aggregate("Lemgo", 7, ImmutableHashSet.Create((SubjectKind.Parking, "p1")));

        var serializer = Sys.Serialization.FindSerializerFor(aggregate);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, aggregate);
        var back = (MunicipalityAggregate)Sys.Serialization.Deserialize(serializer.ToBinary(aggregate), serializer.Identifier, manifest);

        Assert.Equal(JsonSerializer.Serialize(aggregate), JsonSerializer.Serialize(back));
        Assert.Equal([0, 0, 1, 0, 0], back.Pegel.AtStage);
    }
}
