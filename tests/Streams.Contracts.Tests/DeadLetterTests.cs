using System.Text;
using Streams.Contracts.Outputs;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

public class DeadLetterTests
{
    private const string BadLevel = """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":"abc"}""";

    [Fact]
    public void A_dead_letter_carries_topic_partition_offset_key_reason_error_payload_and_the_clock()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 25, 10, 15, 4, TimeSpan.FromHours(1)));
        var record = new RawRecord("streams.pegel", 3, 1207, Encoding.UTF8.GetBytes("4910010"), Encoding.UTF8.GetBytes(BadLevel));

        var dead = new RecordValidator(clock).ValidateReading(SubjectKind.Pegel, record).DeadLetter();

        Assert.Equal(new DeadLetter("streams.pegel", 3, 1207, "4910010", "invalid-field", "levelCm: expected a number, got \"abc\"", BadLevel, null,
            new DateTimeOffset(2026, 11, 25, 9, 15, 4, TimeSpan.Zero)), dead);
    }

    [Fact]
    public void A_dead_letter_of_a_record_without_key_has_a_null_key() =>
        Assert.Null(Reading(SubjectKind.Pegel, null, BadLevel).DeadLetter().Key);

    [Theory]
    [InlineData("""{"stationId":"4910010","levelCm":"abc"}""")]
    [InlineData("""{"stationId":"Pegel Lemgo – Bega ≥ 150 cm 🌊","levelCm":1}""")]
    [InlineData("")]
    public void Valid_utf8_values_are_kept_as_text_in_payload(string value)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", value).DeadLetter();

        Assert.Equal(value, dead.Payload);
        Assert.Null(dead.PayloadBase64);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { (byte)'{', 0x80, (byte)'}' })]
    [InlineData(new byte[] { 0xEF, 0xBF })]
    public void Invalid_utf8_values_are_kept_as_base64_in_payloadBase64(byte[] value)
    {
        var dead = Validator().ValidateReading(SubjectKind.Bus, Raw(BusTopic, "b1", value)).DeadLetter();

        Assert.Null(dead.Payload);
        Assert.Equal(value, Convert.FromBase64String(dead.PayloadBase64!));
    }

    [Fact]
    public void A_null_value_has_neither_payload_nor_payloadBase64()
    {
        var dead = Reading(SubjectKind.Parking, "p1", null).DeadLetter().AssertReason(DeadLetterReasons.NotJson);

        Assert.Null(dead.Payload);
        Assert.Null(dead.PayloadBase64);
    }

    [Fact]
    public void An_invalid_utf8_key_is_reported_as_text_with_replacement_characters()
    {
        var record = new RawRecord(PegelTopic, 0, 1, [0x34, 0xFF], Encoding.UTF8.GetBytes(BadLevel));

        Assert.Equal("4\uFFFD", Validator().ValidateReading(SubjectKind.Pegel, record).DeadLetter().Key);
    }

    // ---- too-large ----

    [Theory]
    [InlineData(RecordValidator.MaxValueBytes + 1)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    [InlineData(10 * 1024 * 1024)] // the corpus's 10 MB value (end to end it is 2 MB: the mock broker stalls fetches of values of 5 MB and more)
    public void Values_over_64_KiB_are_too_large_with_only_the_first_KiB_kept(int size)
    {
        // A well-formed reading padded with an ignored field: size alone decides.
        string value = Pegelish(size);
        var dead = Reading(SubjectKind.Pegel, "4910010", value).DeadLetter().AssertReason(DeadLetterReasons.TooLarge);

        Assert.Equal(value[..1024], dead.Payload);
        Assert.Equal($"value is {size} bytes, over the limit of 65536 bytes; payload holds only the first 1024 bytes", dead.Error);
        Assert.Null(dead.PayloadBase64);
    }

    [Fact]
    public void A_value_of_exactly_64_KiB_is_not_too_large() =>
        Reading(SubjectKind.Pegel, "4910010", Pegelish(RecordValidator.MaxValueBytes)).ValidReading<Readings.PegelReading>();

    [Fact]
    public void Too_large_is_decided_before_parsing_so_even_garbage_is_too_large()
    {
        var value = new byte[RecordValidator.MaxValueBytes + 10];
        Array.Fill(value, (byte)0xFF);

        var dead = Validator().ValidateReading(SubjectKind.Bus, Raw(BusTopic, "b1", value)).DeadLetter().AssertReason(DeadLetterReasons.TooLarge);

        Assert.Null(dead.Payload);
        Assert.Equal(1024, Convert.FromBase64String(dead.PayloadBase64!).Length);
        Assert.EndsWith("payloadBase64 holds only the first 1024 bytes", dead.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_large_truncation_does_not_split_a_multibyte_character()
    {
        // 1023 ASCII bytes then 3-byte characters: the 1 KiB cut falls inside the first '€'.
        string value = new string('a', 1023) + new string('€', 30_000);

        var dead = Reading(SubjectKind.Parking, "p1", value).DeadLetter().AssertReason(DeadLetterReasons.TooLarge);

        Assert.Equal(new string('a', 1023), dead.Payload);
        Assert.EndsWith("payload holds only the first 1023 bytes", dead.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_large_applies_to_the_registry_too() =>
        RegistryRecord("bus/b", $$"""{"kind":"bus","id":"b","municipality":"m","pad":"{{new string('x', 70_000)}}"}""")
            .DeadLetter().AssertReason(DeadLetterReasons.TooLarge);

    // ---- Reject ----

    [Fact]
    public void Reject_makes_an_unknown_subject_dead_letter_for_a_decision_taken_later()
    {
        const string value = """{"vehicleId":"b9","observedAt":"2026-11-25T10:15:00+01:00","lat":10,"lon":10}""";
        var record = Raw(BusTopic, "b9", value);

        var dead = Validator().Reject(record, DeadLetterReasons.UnknownSubject, "bus/b9: no registry entry, no municipality, and no boundary contains 10, 10");

        Assert.Equal(new DeadLetter(BusTopic, 3, 1207, "b9", "unknown-subject", "bus/b9: no registry entry, no municipality, and no boundary contains 10, 10",
            value, null, Now), dead);
    }

    [Theory]
    [InlineData("streams.bus", "b9", """{"vehicleId":"b9","observedAt":"2026-11-25T10:15:00+01:00","lat":10,"lon":10}""", "bus/b9: no registry entry and no boundary contains it")]
    [InlineData("streams.pegel", "4999999", """{"stationId":"4999999","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "pegel/4999999: not in the registry")]
    [InlineData("streams.parking", null, """{"facilityId":"p9","observedAt":"2026-11-25T10:15:00+01:00","free":1}""", "parking/p9: not in the registry")]
    public void Reject_makes_unknown_subject_dead_letters_that_keep_the_record(string topic, string? key, string value, string error)
    {
        var record = Raw(topic, key, value, partition: 7, offset: 42);

        var dead = Validator().Reject(record, DeadLetterReasons.UnknownSubject, error);

        Assert.Equal(new DeadLetter(topic, 7, 42, key, DeadLetterReasons.UnknownSubject, error, value, null, Now), dead);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("Unknown-Subject")]
    [InlineData("")]
    public void Reject_refuses_a_reason_the_contract_does_not_know(string reason) =>
        Assert.Throws<ArgumentException>(() => Validator().Reject(Raw(BusTopic, "b1", "{}"), reason, "x"));

    [Fact]
    public void Every_reason_the_validator_produces_is_one_of_the_contract_reasons()
    {
        string[] values =
        [
            "x", "{}", """{"stationId":1,"observedAt":"2026-11-25T10:15:00Z","levelCm":1}""", """{"stationId":"s","observedAt":"2026-11-25T10:15:00Z","levelCm":1e6}""",
            """{"stationId":"s","observedAt":"2036-11-25T10:15:00Z","levelCm":1}""", new string(' ', 70_000),
        ];
        var reasons = values.Select(v => Reading(SubjectKind.Pegel, null, v).DeadLetter().Reason).ToHashSet();

        Assert.Subset(DeadLetterReasons.All.ToHashSet(), reasons);
        Assert.Equal(6, reasons.Count);
    }

    private static string Pegelish(int size)
    {
        const string head = """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"pad":""";
        return head + "\"" + new string('x', size - head.Length - 3) + "\"}";
    }
}
