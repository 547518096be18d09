using System.Text;
using System.Text.Json;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

/// <summary>What CONTRACT.md 1.1 added: deterministic dead-letter ids, receivedAt in UTC, occupied against the capacity that applies.</summary>
public class ContractOnePointOneTests
{
    private const string BadLevel = """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":"abc"}""";
    private static readonly ParkingEntry CarPark = new("lemgo-p1", "05766044", "P1", Capacity: 220, 90, 85, 300);

    [Fact]
    public void A_dead_letter_id_is_topic_partition_offset_and_is_written_first()
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", BadLevel).DeadLetter();

        Assert.Equal("streams.pegel/3/1207", dead.Id);
        Assert.StartsWith("{\"id\":\"streams.pegel/3/1207\",\"sourceTopic\":", Encoding.UTF8.GetString(ContractJson.Serialize(dead)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_record_rejected_again_later_gives_the_same_id()
    {
        var first = Reading(SubjectKind.Pegel, "4910010", BadLevel, Validator(Now)).DeadLetter();
        var again = Reading(SubjectKind.Pegel, "4910010", BadLevel, Validator(Now.AddHours(5))).DeadLetter();

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.ReceivedAt, again.ReceivedAt);
    }

    [Fact]
    public void ReceivedAt_is_written_in_utc_with_a_z_whatever_the_clock_offset()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 25, 10, 15, 4, TimeSpan.FromHours(1)));
        var dead = new RecordValidator(clock).ValidateReading(SubjectKind.Pegel, Raw(PegelTopic, "4910010", BadLevel)).DeadLetter();
        var withOffset = dead with { ReceivedAt = new DateTimeOffset(2026, 11, 25, 10, 15, 4, 500, TimeSpan.FromHours(1)) };

        Assert.Equal("2026-11-25T09:15:04Z", ReceivedAtText(dead));
        Assert.Equal("2026-11-25T09:15:04.5Z", ReceivedAtText(withOffset));
    }

    [Fact]
    public void A_dead_letter_reads_back_with_its_id()
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", BadLevel).DeadLetter();

        var back = ContractJson.Deserialize<DeadLetter>(ContractJson.Serialize(dead));

        Assert.Equal(dead, back);
        Assert.Equal(dead.Id, back.Id);
    }

    [Theory]
    [InlineData("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","occupied":221}""", "occupied: 221 is above the registry's capacity 220")]
    [InlineData("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":500}""", "free: 500 is above the registry's capacity 220")]
    public void Occupied_or_free_above_the_registry_capacity_is_out_of_range_when_the_reading_has_no_capacity(string value, string error)
    {
        var validator = Validator();
        var raw = Raw(ParkingTopic, "lemgo-p1", value);
        var reading = validator.ValidateReading(SubjectKind.Parking, raw).ValidReading<ParkingReading>();

        var dead = validator.CheckAgainstEntry(raw, reading, CarPark);

        Assert.NotNull(dead);
        Assert.Equal(DeadLetterReasons.OutOfRange, dead.Reason);
        Assert.StartsWith(error, dead.Error, StringComparison.Ordinal);
        Assert.Equal("streams.parking/3/1207", dead.Id);
        Assert.Equal(value, dead.Payload);
    }

    [Theory]
    [InlineData("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","occupied":220}""")]
    [InlineData("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":0}""")]
    [InlineData("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","occupied":300,"capacity":400}""")]
    public void Occupied_within_the_capacity_that_applies_passes(string value)
    {
        var validator = Validator();
        var raw = Raw(ParkingTopic, "lemgo-p1", value);
        var reading = validator.ValidateReading(SubjectKind.Parking, raw).ValidReading<ParkingReading>();

        Assert.Null(validator.CheckAgainstEntry(raw, reading, CarPark));
    }

    [Fact]
    public void Other_kinds_have_nothing_to_check_against_their_entry()
    {
        var validator = Validator();
        var raw = Raw(PegelTopic, "4910010", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187}""");
        var reading = validator.ValidateReading(SubjectKind.Pegel, raw).ValidReading<PegelReading>();

        Assert.Null(validator.CheckAgainstEntry(raw, reading, new PegelEntry("4910010", "05766044", null, null, null, null, [150], 10, null, 900)));
    }

    private static string ReceivedAtText(DeadLetter dead)
    {
        using var doc = JsonDocument.Parse(ContractJson.Serialize(dead));
        return doc.RootElement.GetProperty("receivedAt").GetString()!;
    }
}
