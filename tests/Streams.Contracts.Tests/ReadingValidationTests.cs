
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

public class ReadingValidationTests
{
    private const string Pegel = """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187.0}""";

    [Fact]
    public void Contract_pegel_example_is_a_valid_reading_with_its_offset_kept()
    {
        var reading = Reading(SubjectKind.Pegel, "4910010", Pegel).ValidReading<PegelReading>();

        Assert.Equal(new PegelReading("4910010", new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.FromHours(1)), 187.0), reading);
        Assert.Equal(TimeSpan.FromHours(1), reading.ObservedAt.Offset);
    }

    [Fact]
    public void Contract_parking_example_is_a_valid_reading_with_occupied_absent()
    {
        var reading = Reading(SubjectKind.Parking, "lemgo-p1",
            """{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":12,"capacity":220}""").ValidReading<ParkingReading>();

        Assert.Equal(("lemgo-p1", 12, (int?)null, 220), (reading.FacilityId, reading.Free.GetValueOrDefault(), reading.Occupied, reading.Capacity.GetValueOrDefault()));
    }

    [Fact]
    public void Contract_bus_example_is_a_valid_position_with_all_optional_fields()
    {
        var reading = Reading(SubjectKind.Bus, "lip-bus-17", """
            {"vehicleId":"lip-bus-17","observedAt":"2026-11-25T10:15:03+01:00","lat":52.0279,"lon":8.8997,
             "routeId":"L1","tripId":"L1-0712","delaySeconds":240,"bearing":90,"speedMps":8.3}
            """).ValidReading<BusPosition>();

        Assert.Equal(new BusPosition("lip-bus-17", new DateTimeOffset(2026, 11, 25, 10, 15, 3, TimeSpan.FromHours(1)), 52.0279, 8.8997,
            "L1", "L1-0712", 240, 90, 8.3), reading);
    }

    [Theory]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187,"unit":"cm","extra":{"a":[1,2]}}""")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187,"comment":null}""")]
    public void Unknown_extra_fields_are_ignored(string json) =>
        Assert.Equal(187.0, Reading(SubjectKind.Pegel, "4910010", json).ValidReading<PegelReading>().LevelCm);

    [Fact]
    public void A_reading_without_a_key_is_accepted() =>
        Reading(SubjectKind.Pegel, null, Pegel).ValidReading<PegelReading>();

    [Theory]
    [InlineData("2026-11-25T09:15:00Z", 0)]
    [InlineData("2026-11-25T09:15:00z", 0)]
    [InlineData("2026-11-25t10:15:00+01:00", 60)]
    [InlineData("2026-11-25T04:15:00.123456789-05:00", -300)]
    [InlineData("2026-11-25T09:15:00-00:00", 0)]
    public void ObservedAt_accepts_RFC_3339_with_any_offset_and_keeps_it(string observedAt, int offsetMinutes)
    {
        var reading = Reading(SubjectKind.Pegel, "4910010",
            $$"""{"stationId":"4910010","observedAt":"{{observedAt}}","levelCm":1}""").ValidReading<PegelReading>();

        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), reading.ObservedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 15, 0, TimeSpan.Zero), reading.ObservedAt.AddTicks(-(reading.ObservedAt.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Fact]
    public void Parking_with_only_occupied_and_integral_decimals_is_valid()
    {
        var reading = Reading(SubjectKind.Parking, "p1", """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","occupied":20.0}""")
            .ValidReading<ParkingReading>();

        Assert.Equal((int?)null, reading.Free);
        Assert.Equal(20, reading.Occupied);
    }

    // ---- not-json ----

    [Theory]
    [InlineData(null, "value is null")]
    [InlineData("", "value is empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"stationId":"4910010",""", "not valid JSON")]
    [InlineData("""{"stationId":"4910010",}""", "not valid JSON")]
    [InlineData("""{"stationId":"4910010"} {}""", "not valid JSON")]
    [InlineData("""{"stationId":"4910010" /* comment */}""", "not valid JSON")]
    [InlineData("""[{"stationId":"4910010"}]""", "expected a JSON object, got an array")]
    [InlineData("\"4910010\"", "expected a JSON object, got a string")]
    [InlineData("187", "expected a JSON object, got a number")]
    [InlineData("null", "expected a JSON object, got null")]
    public void Values_that_are_not_a_json_object_are_not_json(string? value, string error)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", value).DeadLetter().AssertReason(DeadLetterReasons.NotJson);

        Assert.Contains(error, dead.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)'}' })]
    public void Invalid_utf8_is_not_json_and_kept_as_base64(byte[] value)
    {
        var dead = Validator().ValidateReading(SubjectKind.Pegel, Raw(PegelTopic, "4910010", value)).DeadLetter()
            .AssertReason(DeadLetterReasons.NotJson);

        Assert.Equal("value is not valid UTF-8", dead.Error);
        Assert.Null(dead.Payload);
        Assert.Equal(value, Convert.FromBase64String(dead.PayloadBase64!));
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(1000, false)]
    public void Nesting_deeper_than_64_is_not_json(int depth, bool accepted)
    {
        // The object itself is depth 1; "extra" adds (depth - 1) nested arrays.
        string nested = new string('[', depth - 1) + new string(']', depth - 1);
        var result = Reading(SubjectKind.Pegel, "4910010",
            $$"""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"extra":{{nested}}}""");

        if (accepted)
            result.ValidReading<PegelReading>();
        else
            Assert.Contains("depth of 64", result.DeadLetter().AssertReason(DeadLetterReasons.NotJson).Error, StringComparison.Ordinal);
    }

    // ---- missing-field ----

    [Theory]
    [InlineData(SubjectKind.Pegel, """{"observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "stationId: required field is missing")]
    [InlineData(SubjectKind.Pegel, """{"stationId":"4910010","levelCm":1}""", "observedAt: required field is missing")]
    [InlineData(SubjectKind.Pegel, """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00"}""", "levelCm: required field is missing")]
    [InlineData(SubjectKind.Pegel, """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":null}""", "levelCm: required field is missing")]
    [InlineData(SubjectKind.Pegel, """{"stationId":"4910010"}""", "observedAt, levelCm: required fields are missing")]
    [InlineData(SubjectKind.Pegel, """{}""", "stationId, observedAt, levelCm: required fields are missing")]
    [InlineData(SubjectKind.Parking, """{"observedAt":"2026-11-25T10:15:00+01:00","free":1}""", "facilityId: required field is missing")]
    [InlineData(SubjectKind.Parking, """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","capacity":220}""", "free, occupied: at least one of them is required")]
    [InlineData(SubjectKind.Parking, """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","free":null,"occupied":null}""", "free, occupied: at least one of them is required")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":52}""", "lon: required field is missing")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00"}""", "lat, lon: required fields are missing")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":null,"observedAt":"2026-11-25T10:15:00+01:00","lat":52,"lon":8}""", "vehicleId: required field is missing")]
    public void Absent_or_null_required_fields_are_missing_field(SubjectKind kind, string json, string error)
    {
        var dead = Reading(kind, null, json).DeadLetter().AssertReason(DeadLetterReasons.MissingField);

        Assert.Equal(error, dead.Error);
    }

    [Fact]
    public void Missing_field_wins_over_a_wrong_type_elsewhere() =>
        Reading(SubjectKind.Pegel, null, """{"stationId":4910010,"observedAt":"2026-11-25T10:15:00+01:00"}""")
            .DeadLetter().AssertReason(DeadLetterReasons.MissingField, "levelCm");

    // ---- invalid-field ----

    [Theory]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":"abc"}""", "levelCm: expected a number, got \"abc\"")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":"187"}""", "levelCm: expected a number, got \"187\"")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":true}""", "levelCm: expected a number, got true")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":{"v":1}}""", "levelCm: expected a number, got an object")]
    [InlineData("""{"stationId":4910010,"observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "stationId: expected a string, got 4910010")]
    [InlineData("""{"stationId":"","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "stationId: must not be empty")]
    [InlineData("""{"stationId":"4910010","observedAt":1764062100,"levelCm":1}""", "observedAt: expected a string, got 1764062100")]
    public void Wrong_json_types_are_invalid_field(string json, string error)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", json).DeadLetter().AssertReason(DeadLetterReasons.InvalidField);

        Assert.Equal(error, dead.Error);
    }

    [Theory]
    [InlineData("2026-11-25T10:15:00")]
    [InlineData("2026-11-25 10:15:00+01:00")]
    [InlineData("2026-11-25T10:15+01:00")]
    [InlineData("2026-11-25")]
    [InlineData("25.11.2026 10:15")]
    [InlineData("2026-11-25T10:15:00+0100")]
    [InlineData("2026-11-25T10:15:00.+01:00")]
    [InlineData("2026-02-30T10:15:00+01:00")]
    [InlineData("2026-11-25T24:00:00+01:00")]
    [InlineData("2026-11-25T10:15:60+01:00")]
    [InlineData("2026-11-25T10:15:00+15:00")]
    [InlineData("2026-11-25T10:15:00+01:00 ")]
    [InlineData("")]
    public void ObservedAt_that_is_not_RFC_3339_with_an_offset_is_invalid_field(string observedAt)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"{{observedAt}}","levelCm":1}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, "observedAt: expected an RFC 3339 date-time with offset");

        Assert.EndsWith($"got \"{observedAt}\"", dead.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"NaN\"", "levelCm")]
    [InlineData("\"Infinity\"", "levelCm")]
    [InlineData("\"-Infinity\"", "levelCm")]
    [InlineData("NaN", "levelCm")]
    [InlineData("Infinity", "levelCm")]
    [InlineData("-Infinity", "levelCm")]
    [InlineData("1e999", "levelCm")]
    [InlineData("-1e400", "levelCm")]
    public void NaN_and_infinities_in_any_form_are_invalid_field(string level, string field)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":{{level}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, field);

        Assert.Contains("NaN and infinities are not allowed", dead.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"lat\":NaN,\"lon\":8", "lat")]
    [InlineData("\"lat\":52,\"lon\":\"Infinity\"", "lon")]
    [InlineData("\"lat\":52,\"lon\":8,\"speedMps\":Infinity", "speedMps")]
    public void NaN_in_bus_positions_is_invalid_field(string fields, string field) =>
        Reading(SubjectKind.Bus, "b1", $$"""{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00",{{fields}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, field);

    [Theory]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"levelCm":2}""", "levelCm: duplicate key")]
    [InlineData("""{"stationId":"4910010","stationId":"4910011","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "stationId: duplicate key")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"x":1,"x":2}""", "x: duplicate key")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"meta":[{"a":1},{"b":1,"b":2}]}""", "meta[1].b: duplicate key")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1,"level\u0043m":2}""", "levelCm: duplicate key")]
    public void Duplicate_keys_in_any_object_are_invalid_field(string json, string error) =>
        Assert.Equal(error, Reading(SubjectKind.Pegel, "4910010", json).DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error);

    [Theory]
    [InlineData(SubjectKind.Parking, """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","free":12.5}""", "free: expected an integer, got 12.5")]
    [InlineData(SubjectKind.Parking, """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","occupied":"12"}""", "occupied: expected an integer, got \"12\"")]
    [InlineData(SubjectKind.Parking, """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","free":1,"capacity":220.1}""", "capacity: expected an integer, got 220.1")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":52,"lon":8,"delaySeconds":1.5}""", "delaySeconds: expected an integer, got 1.5")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":"52.0","lon":8}""", "lat: expected a number, got \"52.0\"")]
    [InlineData(SubjectKind.Bus, """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":52,"lon":8,"routeId":1}""", "routeId: expected a string, got 1")]
    public void Non_integers_and_wrong_types_in_parking_and_bus_are_invalid_field(SubjectKind kind, string json, string error) =>
        Assert.Equal(error, Reading(kind, null, json).DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error);

    [Theory]
    [InlineData(SubjectKind.Pegel, "4910011", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "key: \"4910011\" does not match stationId \"4910010\"")]
    [InlineData(SubjectKind.Pegel, "", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "key: \"\" does not match stationId \"4910010\"")]
    [InlineData(SubjectKind.Pegel, "pegel/4910010", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""", "key: \"pegel/4910010\" does not match stationId \"4910010\"")]
    [InlineData(SubjectKind.Parking, "P1", """{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00","free":1}""", "key: \"P1\" does not match facilityId \"p1\"")]
    [InlineData(SubjectKind.Bus, "b2", """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":52,"lon":8}""", "key: \"b2\" does not match vehicleId \"b1\"")]
    public void A_key_that_disagrees_with_the_id_is_invalid_field(SubjectKind kind, string key, string json, string error) =>
        Assert.Equal(error, Reading(kind, key, json).DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error);

    [Fact]
    public void A_string_with_a_lone_surrogate_escape_is_invalid_field() =>
        Reading(SubjectKind.Pegel, null, """{"stationId":"\ud800","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, "stationId: string contains an invalid");

    // ---- out-of-range ----

    [Theory]
    [InlineData(-1000.0001)]
    [InlineData(10000.5)]
    [InlineData(-5000)]
    [InlineData(1e300)]
    public void Level_outside_minus_1000_to_10000_is_out_of_range(double level) =>
        Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":{{level.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.OutOfRange, "levelCm: ");

    [Theory]
    [InlineData(-1000)]
    [InlineData(10000)]
    [InlineData(0)]
    public void Level_at_the_range_limits_is_valid(double level) =>
        Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":{{level}}}""")
            .ValidReading<PegelReading>();

    [Theory]
    [InlineData("\"lat\":90.0001,\"lon\":8", "lat: 90.0001 is outside -90..90")]
    [InlineData("\"lat\":-91,\"lon\":8", "lat: -91 is outside -90..90")]
    [InlineData("\"lat\":52,\"lon\":180.5", "lon: 180.5 is outside -180..180")]
    [InlineData("\"lat\":52,\"lon\":-181", "lon: -181 is outside -180..180")]
    public void Coordinates_outside_their_range_are_out_of_range(string fields, string error) =>
        Assert.Equal(error, Reading(SubjectKind.Bus, "b1", $$"""{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00",{{fields}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.OutOfRange).Error);

    [Theory]
    [InlineData("\"free\":-1", "free: -1 is below 0")]
    [InlineData("\"occupied\":-3", "occupied: -3 is below 0")]
    [InlineData("\"free\":1,\"capacity\":-220", "capacity: -220 must be greater than 0")]
    [InlineData("\"free\":0,\"capacity\":0", "capacity: 0 must be greater than 0")]
    [InlineData("\"occupied\":221,\"capacity\":220", "occupied: 221 is above capacity 220")]
    [InlineData("\"free\":221,\"capacity\":220", "free: 221 is above capacity 220")]
    [InlineData("\"free\":1e12", "free: 1e12 does not fit a 32-bit integer")]
    public void Negative_counts_and_occupancy_above_capacity_are_out_of_range(string fields, string error) =>
        Assert.Equal(error, Reading(SubjectKind.Parking, "p1", $$"""{"facilityId":"p1","observedAt":"2026-11-25T10:15:00+01:00",{{fields}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.OutOfRange).Error);

    [Theory]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("2000-01-01T00:30:00+01:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void ObservedAt_before_2000_is_out_of_range(string observedAt) =>
        Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"{{observedAt}}","levelCm":1}""")
            .DeadLetter().AssertReason(DeadLetterReasons.OutOfRange, "observedAt: ");

    [Fact]
    public void ObservedAt_exactly_2000_is_valid() =>
        Reading(SubjectKind.Pegel, "4910010", """{"stationId":"4910010","observedAt":"2000-01-01T00:00:00Z","levelCm":1}""")
            .ValidReading<PegelReading>();

    [Fact]
    public void A_wrong_type_wins_over_an_out_of_range_value() =>
        Reading(SubjectKind.Bus, "b1", """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":500,"lon":"8"}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, "lon");

    // ---- future-timestamp ----

    [Theory]
    [InlineData("2026-11-25T09:25:00.0000001Z")]
    [InlineData("2026-11-25T10:26:00+01:00")]
    [InlineData("2026-11-25T10:00:00-01:00")]
    [InlineData("2030-01-01T00:00:00Z")]
    public void ObservedAt_more_than_5_minutes_after_the_clock_is_future_timestamp(string observedAt)
    {
        var dead = Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"{{observedAt}}","levelCm":1}""")
            .DeadLetter().AssertReason(DeadLetterReasons.FutureTimestamp, "observedAt: ");

        Assert.Contains("after the processing clock (2026-11-25T09:20:00+00:00)", dead.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-25T09:25:00Z")]
    [InlineData("2026-11-25T10:25:00+01:00")]
    [InlineData("2026-11-25T09:20:00Z")]
    public void ObservedAt_up_to_5_minutes_ahead_of_the_clock_is_valid(string observedAt) =>
        Reading(SubjectKind.Pegel, "4910010", $$"""{"stationId":"4910010","observedAt":"{{observedAt}}","levelCm":1}""")
            .ValidReading<PegelReading>();

    [Fact]
    public void The_future_limit_follows_the_clock_as_it_moves()
    {
        var clock = new FakeClock(Now);
        var validator = new RecordValidator(clock);
        var record = Raw(PegelTopic, "4910010", """{"stationId":"4910010","observedAt":"2026-11-25T11:00:00+01:00","levelCm":1}""");

        validator.ValidateReading(SubjectKind.Pegel, record).DeadLetter().AssertReason(DeadLetterReasons.FutureTimestamp);
        clock.Now = clock.Now.AddMinutes(35);
        validator.ValidateReading(SubjectKind.Pegel, record).ValidReading<PegelReading>();
    }

    [Fact]
    public void Future_timestamp_applies_to_every_reading_kind()
    {
        const string at = "2026-11-25T12:00:00+01:00";
        Reading(SubjectKind.Parking, null, $$"""{"facilityId":"p1","observedAt":"{{at}}","free":1}""").DeadLetter().AssertReason(DeadLetterReasons.FutureTimestamp);
        Reading(SubjectKind.Bus, null, $$"""{"vehicleId":"b1","observedAt":"{{at}}","lat":1,"lon":1}""").DeadLetter().AssertReason(DeadLetterReasons.FutureTimestamp);
    }

    [Fact]
    public void Validating_a_reading_for_the_municipality_kind_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Validator().ValidateReading(SubjectKind.Municipality, Raw(PegelTopic, null, Pegel)));

    [Fact]
    public void A_bus_position_may_name_its_municipality() =>
        Assert.Equal("05766044", Reading(SubjectKind.Bus, null,
            """{"vehicleId":"b1","observedAt":"2026-11-25T10:15:00+01:00","lat":52,"lon":8,"municipality":"05766044"}""").ValidReading<BusPosition>().Municipality);

    [Fact]
    public void Keys_are_compared_as_bytes() =>
        Reading(SubjectKind.Pegel, "Pegel-ä", """{"stationId":"Pegel-\u00e4","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""")
            .ValidReading<PegelReading>();

}

public class OnePassReadingParserTests
{
    [Theory]
    [InlineData(SubjectKind.Pegel, "4910010", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187.0}""")]
    [InlineData(SubjectKind.Parking, "lemgo-p1", """{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":12,"capacity":220}""")]
    [InlineData(SubjectKind.Bus, "lip-bus-17", """
        {"vehicleId":"lip-bus-17","observedAt":"2026-11-25T10:15:03+01:00","lat":52.0279,"lon":8.8997,
         "routeId":"L1","tripId":"L1-0712","delaySeconds":240,"bearing":90,"speedMps":8.3}
        """)]
    public void The_contract_examples_are_read_in_one_pass_to_the_documents_readings(SubjectKind kind, string key, string json)
    {
        var value = System.Text.Encoding.UTF8.GetBytes(json);
        var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);

        var onePass = ContractParser.TryParsePlainReading(kind, value, keyBytes);

        Assert.NotNull(onePass);
        Assert.Equal(ContractParser.ParseReadingFromDocument(kind, value, keyBytes).Value, onePass);
    }

    [Theory]
    [InlineData("""{"stationId":"49\u00310010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187.0}""")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00\u002B01:00","levelCm":187.0}""")]
    public void An_escaped_id_or_timestamp_is_left_to_the_document_parser_and_still_valid(string json)
    {
        Assert.Null(ContractParser.TryParsePlainReading(SubjectKind.Pegel, System.Text.Encoding.UTF8.GetBytes(json), "4910010"u8.ToArray()));
        Assert.Equal(187.0, Reading(SubjectKind.Pegel, "4910010", json).ValidReading<PegelReading>().LevelCm);
    }

    [Theory]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":"187"}""", "invalid-field", "levelCm: expected a number, got \"187\"")]
    [InlineData("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":10000.5}""", "out-of-range", "levelCm: 10000.5 is outside -1000..10000")]
    [InlineData("""{"stationId":"other","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187}""", "invalid-field", "key: \"4910010\" does not match stationId \"other\"")]
    public void A_reading_the_one_pass_parser_declines_is_rejected_with_the_documents_message(string json, string reason, string error)
    {
        Assert.Null(ContractParser.TryParsePlainReading(SubjectKind.Pegel, System.Text.Encoding.UTF8.GetBytes(json), "4910010"u8.ToArray()));

        var dead = Reading(SubjectKind.Pegel, "4910010", json).DeadLetter();
        Assert.Equal((reason, error), (dead.Reason, dead.Error));
    }
}
