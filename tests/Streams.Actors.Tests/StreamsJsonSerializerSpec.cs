using System.Text;
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

/// <summary>
/// Everything the journal stores or the cluster sends must come back with every field equal to what was written
/// (compared value by value, not serializer output against serializer output), under a fixed manifest.
/// </summary>
public sealed class StreamsJsonSerializerSpec : TestKit
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-11-25T10:15:00+01:00");
    private static readonly PegelEntry Gauge = new("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.9, [150, 200, 250], 10, 20, 900);
    private static readonly ParkingEntry CarPark = new("lemgo-p1", "05766044", "P1", 220, 90, 85, 300);
    private static readonly BusPosition Bus = new("lip-bus-17", T, 52.0279, 8.8997, "L1", "L1-0712", 240, 90, 8.3, "05766044");

    private StreamsJsonSerializer Serializer => new((ExtendedActorSystem)Sys);

    private T1 RoundTrip<T1>(T1 value) where T1 : notnull =>
        (T1)Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    [Fact]
    public void A_batch_of_applied_readings_keeps_every_reading_its_concrete_type_and_the_entries()
    {
        var original = new SensorReadingsApplied(
            [
                new AppliedReading(new PegelReading("4910010", T, 187.5), Gauge),
                new AppliedReading(new PegelReading("4910010", T.AddMinutes(15), 190.25), null),
                new AppliedReading(new ParkingReading("lemgo-p1", T, 12, null, 220), CarPark),
                new AppliedReading(Bus, null),
            ],
            T.AddSeconds(2));

        var copy = RoundTrip(original);

        Assert.Equal(original.WallClock, copy.WallClock);
        Assert.Equal(original.WallClock.Offset, copy.WallClock.Offset);
        Assert.Equal(4, copy.Readings.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(original.Readings[i].Reading.GetType(), copy.Readings[i].Reading.GetType());
            Assert.Equal(original.Readings[i].Reading, copy.Readings[i].Reading);
            Assert.Equal(original.Readings[i].Entry, copy.Readings[i].Entry);
        }
        var bus = Assert.IsType<BusPosition>(copy.Readings[3].Reading);
        Assert.Equal(("L1", "L1-0712", 240, 90.0, 8.3, "05766044"), (bus.RouteId, bus.TripId, bus.DelaySeconds, bus.Bearing, bus.SpeedMps, bus.Municipality));
        Assert.Equal(Gauge.StagesCm, ((PegelEntry)copy.Readings[0].Entry!).StagesCm);
    }

    [Fact]
    public void Stale_retired_entry_and_published_events_keep_their_fields()
    {
        var stale = RoundTrip(new SensorStaleRaised(T, Gauge));
        Assert.Equal(T, stale.WallClock);
        Assert.Equal(Gauge, stale.Entry);
        Assert.Equal(Gauge.StagesCm, ((PegelEntry)stale.Entry!).StagesCm);

        Assert.Equal(T, RoundTrip(new SensorRetired(T)).WallClock);
        Assert.Equal(CarPark, RoundTrip(new SensorEntryChanged(CarPark)).Entry);
        Assert.Equal(["a", "b"], RoundTrip(new SensorAlertsPublished(["a", "b"])).AlertIds);
    }

    [Fact]
    public void A_sensor_snapshot_keeps_state_entry_retirement_and_every_outbox_event_field()
    {
        var state = SensorRules.Initial(SubjectKind.Pegel);
        state = SensorRules.Apply(state, Gauge, new PegelReading("4910010", T, 120), T).State;
        var result = SensorRules.Apply(state, Gauge, new PegelReading("4910010", T.AddMinutes(45), 210), T.AddMinutes(15));
        var outbox = result.Transitions.Select(t => AlertEvents.ToCloudEvent(Gauge, t)).ToList();
        var snapshot = new SensorSnapshot(Gauge, result.State, outbox) { Retired = true };

        var copy = RoundTrip(snapshot);

        Assert.Equal(snapshot.State, copy.State); // value equality, collections element by element
        Assert.Equal(result.State.Pegel!.Window, copy.State.Pegel!.Window);
        Assert.Equal(result.State.LastAppliedWallClock, copy.State.LastAppliedWallClock);
        Assert.Equal(Gauge, copy.Entry);
        Assert.True(copy.Retired);
        Assert.Equal(outbox.Count, copy.Outbox.Count);
        for (var i = 0; i < outbox.Count; i++)
        {
            // The wire bytes of a republished alert must be the ones first published.
            Assert.Equal(Encoding.UTF8.GetString(ContractJsonBytes(outbox[i])), Encoding.UTF8.GetString(ContractJsonBytes(copy.Outbox[i])));
            Assert.Equal(outbox[i].Id, copy.Outbox[i].Id);
            Assert.Equal(outbox[i].Time, copy.Outbox[i].Time);
            Assert.Equal(outbox[i].Data.Rule, copy.Outbox[i].Data.Rule);
            Assert.Equal(outbox[i].Data.Value, copy.Outbox[i].Data.Value);
            Assert.Equal(outbox[i].Data.EpisodeStartedAt, copy.Outbox[i].Data.EpisodeStartedAt);
        }
    }

    private static byte[] ContractJsonBytes(AlertEvent alert) => Contracts.Serialization.ContractJson.Serialize(alert);

    [Fact]
    public void Municipality_snapshot_keeps_summaries_with_due_times_and_unreported_members()
    {
        var summary = new SensorSummary(SubjectKind.Parking, "lemgo-p1", "05766044", T, false, 1, null, false, 220, 200, 20, true, false, null, false)
        {
            StaleDueAt = T.AddMinutes(15),
            OwesAlerts = true,
        };
        var snapshot = new MunicipalitySnapshot(2000, [summary]) { Unreported = [new MunicipalityMemberJoined(SubjectKind.Bus, "b1")] };

        var copy = RoundTrip(snapshot);

        Assert.Equal(2000, copy.SeqReservedUpTo);
        Assert.Equal(summary, Assert.Single(copy.Subjects));
        Assert.Equal(new MunicipalityMemberJoined(SubjectKind.Bus, "b1"), Assert.Single(copy.Unreported!));
        Assert.Equal(new MunicipalityMemberLeft(SubjectKind.Pegel, "g"), RoundTrip(new MunicipalityMemberLeft(SubjectKind.Pegel, "g")));
        Assert.Equal(new MunicipalitySeqReserved(3000), RoundTrip(new MunicipalitySeqReserved(3000)));
    }

    [Fact]
    public void Cluster_messages_keep_their_fields()
    {
        var apply = RoundTrip(new ApplyReadings("4910010", [new EntryReading(Gauge, new PegelReading("4910010", T, 187))]));
        Assert.Equal("4910010", apply.SensorId);
        Assert.Equal(Gauge, apply.Items[0].Entry);
        Assert.Equal(new PegelReading("4910010", T, 187), apply.Items[0].Reading);
        Assert.Equal(new ReadingsAck("pegel/4910010", 3, 1, 2), RoundTrip(new ReadingsAck("pegel/4910010", 3, 1, 2)));
        Assert.Equal(new UpdateEntry(CarPark), RoundTrip(new UpdateEntry(CarPark)));
        Assert.Equal(new SensorRemoved("05766044", SubjectKind.Bus, "lip-bus-17"), RoundTrip(new SensorRemoved("05766044", SubjectKind.Bus, "lip-bus-17")));
        Assert.IsType<StopEntity>(RoundTrip(StopEntity.Instance));
    }

    [Fact]
    public void Every_persisted_type_has_a_fixed_manifest_that_is_not_its_class_name()
    {
        var persisted = typeof(SensorEntity).Assembly.GetTypes()
            .Where(t => typeof(IStreamsMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.IsPublic);
        foreach (var type in persisted)
        {
            var manifest = PersistedManifests.ManifestOf(type);
            Assert.True(manifest is not null, $"{type.FullName} has no fixed manifest");
            Assert.DoesNotContain(type.Name, manifest);
            Assert.Equal(type, PersistedManifests.TypeOf(manifest!));
        }
        Assert.Equal(PersistedManifests.Types.Count, PersistedManifests.Types.Select(PersistedManifests.ManifestOf).Distinct().Count());
    }

    [Fact]
    public void Applied_readings_are_written_in_binary_and_their_earlier_json_form_is_still_read()
    {
        var applied = new SensorReadingsApplied([new AppliedReading(new PegelReading("4910010", T, 187.5), Gauge), new AppliedReading(Bus, null)],
            T.AddSeconds(2));
        Assert.Equal("sensor.readings.v2", Serializer.Manifest(applied));

        var json = JsonSerializer.SerializeToUtf8Bytes(applied, StreamsJsonSerializer.Options);
        var copy = (SensorReadingsApplied)Serializer.FromBinary(json, "sensor.readings.v1");

        Assert.Equal(applied.WallClock, copy.WallClock);
        Assert.Equal(applied.Readings.Select(r => (r.Reading, r.Entry)), copy.Readings.Select(r => (r.Reading, r.Entry)));
    }

    [Fact]
    public void With_the_json_form_applied_readings_are_written_as_the_v1_json_an_earlier_release_reads_and_both_forms_are_read_either_way()
    {
        var applied = new SensorReadingsApplied([new AppliedReading(new PegelReading("4910010", T, 187.5), Gauge), new AppliedReading(Bus, null)],
            T.AddSeconds(2));
        var jsonWriter = new StreamsJsonSerializer((ExtendedActorSystem)Sys, ReadingsEventForm.Json);

        var manifest = jsonWriter.Manifest(applied);
        var bytes = jsonWriter.ToBinary(applied);

        Assert.Equal("sensor.readings.v1", manifest);
        // An earlier release read this manifest as plain JSON with these options.
        var asEarlierReleaseReadsIt = JsonSerializer.Deserialize<SensorReadingsApplied>(bytes, StreamsJsonSerializer.Options)!;
        Assert.Equal(applied.Readings.Select(r => (r.Reading, r.Entry)), asEarlierReleaseReadsIt.Readings.Select(r => (r.Reading, r.Entry)));
        foreach (var reader in new[] { Serializer, jsonWriter })
        {
            var fromJson = (SensorReadingsApplied)reader.FromBinary(bytes, manifest);
            var fromBinary = (SensorReadingsApplied)reader.FromBinary(Serializer.ToBinary(applied), Serializer.Manifest(applied));
            Assert.Equal(applied.WallClock, fromJson.WallClock);
            Assert.Equal(applied.Readings.Select(r => (r.Reading, r.Entry)), fromJson.Readings.Select(r => (r.Reading, r.Entry)));
            Assert.Equal(applied.Readings.Select(r => (r.Reading, r.Entry)), fromBinary.Readings.Select(r => (r.Reading, r.Entry)));
        }
        // Every other type is written as before.
        var stale = new SensorStaleRaised(T, Gauge);
        Assert.Equal(Serializer.Manifest(stale), jsonWriter.Manifest(stale));
        Assert.Equal(Serializer.ToBinary(stale), jsonWriter.ToBinary(stale));
    }

    [Fact]
    public void Events_stored_under_the_old_class_name_manifests_are_still_read()
    {
        // Written by the previous serializer: manifest = CLR full name, same JSON shape.
        var legacy = new SensorReadingApplied(new PegelReading("4910010", T, 187.5), T.AddSeconds(2), Gauge);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(legacy, StreamsJsonSerializer.Options);

        var copy = (SensorReadingApplied)Serializer.FromBinary(bytes, "Streams.Actors.Entities.SensorReadingApplied");

        Assert.Equal(legacy.Reading, copy.Reading);
        Assert.Equal(legacy.WallClock, copy.WallClock);
        Assert.Equal(Gauge, copy.Entry);
        var stale = (SensorStaleRaised)Serializer.FromBinary(Encoding.UTF8.GetBytes("""{"WallClock":"2026-11-25T10:15:00+01:00"}"""),
            "Streams.Actors.Entities.SensorStaleRaised");
        Assert.Equal(T, stale.WallClock);
        Assert.Null(stale.Entry);
    }
}
