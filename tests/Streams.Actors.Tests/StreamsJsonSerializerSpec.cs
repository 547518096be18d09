using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Streams.Actors.Aggregates;
using Streams.Actors.Entities;
using Streams.Actors.Rules;
using Streams.Actors.Serialization;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Tests;

/// <summary>Everything the journal stores or the cluster sends must come back equal from the project's serializer.</summary>
public sealed class StreamsJsonSerializerSpec : TestKit
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-11-25T10:15:00+01:00");
    private static readonly PegelEntry Gauge = new("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.9, [150, 200, 250], 10, 20, 900);

    private object RoundTrip(object value)
    {
        var serializer = new StreamsJsonSerializer((ExtendedActorSystem)Sys);
        return serializer.FromBinary(serializer.ToBinary(value), serializer.Manifest(value));
    }

    public static TheoryData<string> Cases => new() { "pegel", "parking", "bus", "stale", "published" };

    private static object Event(string name) => name switch
    {
        "pegel" => new SensorReadingApplied(new PegelReading("4910010", T, 187.5), T.AddSeconds(2), Gauge),
        "parking" => new SensorReadingApplied(new ParkingReading("lemgo-p1", T, 12, null, 220), T,
            new ParkingEntry("lemgo-p1", "05766044", "P1", 220, 90, 85, 300)),
        "bus" => new SensorReadingApplied(new BusPosition("lip-bus-17", T, 52.0279, 8.8997, "L1", "L1-0712", 240, 90, 8.3, "05766044"), T, null),
        "stale" => new SensorStaleRaised(T),
        "published" => new SensorAlertsPublished(["a", "b"]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Persisted_sensor_events_round_trip_with_their_concrete_reading_and_entry_types(string name)
    {
        var original = Event(name);
        var copy = RoundTrip(original);
        Assert.Equal(original.GetType(), copy.GetType());
        Assert.Equal(JsonSerializer.Serialize(original, StreamsJsonSerializer.Options), JsonSerializer.Serialize(copy, StreamsJsonSerializer.Options));
        if (original is SensorReadingApplied a) Assert.Equal(a.Reading, ((SensorReadingApplied)copy).Reading);
    }

    [Fact]
    public void A_sensor_snapshot_with_state_and_outbox_round_trips()
    {
        var state = SensorRules.Initial(SubjectKind.Pegel);
        state = SensorRules.Apply(state, Gauge, new PegelReading("4910010", T, 120), T).State;
        var result = SensorRules.Apply(state, Gauge, new PegelReading("4910010", T.AddMinutes(15), 210), T.AddMinutes(15));
        var outbox = result.Transitions.Select(t => AlertEvents.ToCloudEvent(Gauge, t)).ToList();
        var snapshot = new SensorSnapshot(Gauge, result.State, outbox);

        var copy = (SensorSnapshot)RoundTrip(snapshot);

        Assert.Equal(snapshot.State, copy.State);
        Assert.Equal(snapshot.Entry, copy.Entry);
        Assert.Equal(outbox.Select(a => a.Id), copy.Outbox.Select(a => a.Id));
        Assert.Equal(outbox, copy.Outbox, (x, y) => JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y));
    }

    [Fact]
    public void Municipality_events_and_cluster_messages_round_trip()
    {
        var summary = new SensorSummary(SubjectKind.Parking, "lemgo-p1", "05766044", T, false, 1, null, false, 220, 200, 20, true, false, null, false);
        object[] values =
        [
            new MunicipalitySeqReserved(2000),
            new MunicipalitySnapshot(2000, [summary]),
            new SensorChanged(summary),
            new SensorRemoved("05766044", SubjectKind.Bus, "lip-bus-17"),
            new ApplyReading(Gauge, new PegelReading("4910010", T, 187)),
            new ReadingAck("pegel/4910010", true, 2),
        ];
        foreach (var value in values)
        {
            var copy = RoundTrip(value);
            Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), StreamsJsonSerializer.Options),
                JsonSerializer.Serialize(copy, copy.GetType(), StreamsJsonSerializer.Options));
        }
    }
}
