using System.Text;
using System.Text.Json;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

public class SerializationTests
{
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void An_alert_is_compact_cloudevents_json_with_the_original_offset_and_unescaped_text() =>
        Assert.Equal(
            """{"specversion":"1.0","id":"pegel/4910010|pegel.stage1|raised|2026-11-25T10:15:00+01:00","source":"/streams/municipalities/05766044","type":"streams.alert.raised","subject":"pegel/4910010","time":"2026-11-25T10:15:00+01:00","datacontenttype":"application/json","data":{"rule":"pegel.stage1","state":"raised","severity":"info","municipality":"05766044","kind":"pegel","sensorId":"4910010","value":187,"threshold":150,"episodeStartedAt":"2026-11-25T10:15:00+01:00","message":"Pegel Lemgo (Bega) reached stage 1: 187 cm ≥ 150 cm","stage":1,"previousStage":0}}""",
            Text(ContractJson.Serialize(Samples.Alert())));

    [Fact]
    public void Optional_alert_data_fields_are_left_out_when_null()
    {
        var alert = Samples.Alert() with { Data = Samples.Alert().Data with { Stage = null, PreviousStage = null } };

        string json = Text(ContractJson.Serialize(alert));

        Assert.DoesNotContain("stage\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("trendCmPerHour", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_is_compact_camel_case_json_in_contract_order() =>
        Assert.Equal(
            """{"municipality":"05766044","name":"Lemgo","asOf":"2026-11-25T10:15:03+01:00","seq":1842,"parking":{"facilities":6,"capacity":1410,"occupied":1101,"free":309,"occupancyPercent":78.1,"almostFull":1,"full":0,"stale":0},"bus":{"vehicles":14,"stale":1,"delayed":2,"meanDelaySeconds":95.4,"maxDelaySeconds":410},"pegel":{"stations":3,"maxStage":1,"atStage":[2,1,0,0,0],"rising":1,"stale":0},"openAlerts":4}""",
            Text(ContractJson.Serialize(Samples.Aggregate())));

    [Fact]
    public void A_dead_letter_writes_its_id_first_a_null_key_only_the_payload_field_in_use_and_receivedAt_in_utc()
    {
        Assert.Equal(
            """{"id":"streams.pegel/3/1207","sourceTopic":"streams.pegel","partition":3,"offset":1207,"key":null,"reason":"invalid-field","error":"levelCm: expected a number, got \"abc\"","payload":"{\"stationId\":\"4910010\"}","receivedAt":"2026-11-25T09:15:04Z"}""",
            Text(ContractJson.Serialize(Samples.Dead(key: null))));
        Assert.Equal(
            """{"id":"streams.pegel/3/1207","sourceTopic":"streams.pegel","partition":3,"offset":1207,"key":"4910010","reason":"invalid-field","error":"levelCm: expected a number, got \"abc\"","payloadBase64":"/w==","receivedAt":"2026-11-25T09:15:04Z"}""",
            Text(ContractJson.Serialize(Samples.Dead(payload: null, payloadBase64: "/w=="))));
    }

    [Theory]
    [InlineData(60, "2026-11-25T10:15:00+01:00")]
    [InlineData(0, "2026-11-25T10:15:00+00:00")]
    [InlineData(-300, "2026-11-25T10:15:00-05:00")]
    [InlineData(330, "2026-11-25T10:15:00+05:30")]
    public void Times_keep_their_original_offset(int offsetMinutes, string expected)
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.FromMinutes(offsetMinutes));

        Assert.Contains($"\"time\":\"{expected}\"", Text(ContractJson.Serialize(Samples.Alert() with { Time = at })), StringComparison.Ordinal);
    }

    [Fact]
    public void Fractional_seconds_are_written_only_when_present() =>
        Assert.Contains("\"time\":\"2026-11-25T10:15:00.25+01:00\"",
            Text(ContractJson.Serialize(Samples.Alert() with { Time = Samples.At.AddMilliseconds(250) })), StringComparison.Ordinal);

    [Fact]
    public void Equal_outputs_serialize_to_identical_bytes()
    {
        Assert.Equal(ContractJson.Serialize(Samples.Alert()), ContractJson.Serialize(Samples.Alert()));
        Assert.Equal(ContractJson.Serialize(Samples.Aggregate()), ContractJson.Serialize(Samples.Aggregate()));
        Assert.Equal(ContractJson.Serialize(Samples.Dead()), ContractJson.Serialize(Samples.Dead()));
        var reading = new BusPosition("b", Samples.At, 52.1, 8.9, DelaySeconds: 30);
        Assert.Equal(ContractJson.SerializeReading(reading), ContractJson.SerializeReading(reading with { }));
    }

    [Fact]
    public void An_alert_round_trips()
    {
        var alert = Samples.Alert(AlertStates.Cleared);

        var back = ContractJson.Deserialize<AlertEvent>(ContractJson.Serialize(alert));

        Assert.Equal(alert, back);
        Assert.Equal(TimeSpan.FromHours(1), back.Time.Offset);
    }

    [Fact]
    public void An_aggregate_round_trips_to_the_same_bytes()
    {
        byte[] bytes = ContractJson.Serialize(Samples.Aggregate(name: null));

        var back = ContractJson.Deserialize<MunicipalityAggregate>(bytes);

        Assert.Null(back.Name);
        Assert.Equal([2, 1, 0, 0, 0], back.Pegel.AtStage);
        Assert.Equal(bytes, ContractJson.Serialize(back));
    }

    [Theory]
    [InlineData("4910010", "{\"a\":1}", null)]
    [InlineData(null, null, "AAEC")]
    [InlineData(null, null, null)]
    public void A_dead_letter_round_trips(string? key, string? payload, string? payloadBase64)
    {
        var dead = Samples.Dead(key, payload, payloadBase64);

        Assert.Equal(dead, ContractJson.Deserialize<DeadLetter>(ContractJson.Serialize(dead)));
    }

    [Fact]
    public void The_contract_dead_letter_example_deserializes()
    {
        var dead = ContractJson.Deserialize<DeadLetter>("""
            {"sourceTopic":"streams.pegel","partition":3,"offset":1207,"key":"4910010","reason":"invalid-field",
             "error":"levelCm: expected a number, got \"abc\"","payload":"{\"stationId\":\"4910010\",...}",
             "receivedAt":"2026-11-25T10:15:04+01:00"}
            """u8);

        Assert.Equal(Samples.Dead(payload: "{\"stationId\":\"4910010\",...}"), dead);
    }

    // ---- inputs ----

    [Fact]
    public void Readings_are_written_in_the_contract_shape_without_absent_optionals()
    {
        Assert.Equal("""{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187.5}""",
            Text(ContractJson.SerializeReading(new PegelReading("4910010", Samples.At, 187.5))));
        Assert.Equal("""{"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":12,"capacity":220}""",
            Text(ContractJson.SerializeReading(new ParkingReading("lemgo-p1", Samples.At, 12, null, 220))));
        Assert.Equal("""{"vehicleId":"lip-bus-17","observedAt":"2026-11-25T10:15:03+01:00","lat":52.0279,"lon":8.8997,"routeId":"L1","tripId":"L1-0712","delaySeconds":240,"bearing":90,"speedMps":8.3}""",
            Text(ContractJson.SerializeReading(new BusPosition("lip-bus-17", Samples.At.AddSeconds(3), 52.0279, 8.8997, "L1", "L1-0712", 240, 90, 8.3))));
    }

    [Fact]
    public void Registry_entries_are_written_with_their_kind_and_all_effective_values()
    {
        Assert.Equal("""{"kind":"municipality","id":"05766044","name":"Lemgo"}""",
            Text(ContractJson.SerializeRegistryEntry(new MunicipalityEntry("05766044", "Lemgo", null))));
        Assert.Equal("""{"kind":"pegel","id":"4910010","municipality":"05766044","name":"Lemgo","water":"Bega","lat":52.03,"lon":8.9,"stagesCm":[150,200,250],"hysteresisCm":10,"riseCmPerHour":20,"expectedIntervalSeconds":900}""",
            Text(ContractJson.SerializeRegistryEntry(new PegelEntry("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.90, [150, 200, 250], 10, 20, 900))));
        Assert.Equal("""{"kind":"parking","id":"lemgo-p1","municipality":"05766044","name":"P1 Regenstorplatz","capacity":220,"almostFullPercent":90,"clearPercent":85,"expectedIntervalSeconds":300}""",
            Text(ContractJson.SerializeRegistryEntry(new ParkingEntry("lemgo-p1", "05766044", "P1 Regenstorplatz", 220, 90, 85, 300))));
        Assert.Equal("""{"kind":"bus","id":"lip-bus-17","municipality":"05766044","delayAlertSeconds":300,"delayClearSeconds":180,"expectedIntervalSeconds":120}""",
            Text(ContractJson.SerializeRegistryEntry(new BusEntry("lip-bus-17", "05766044", null, 300, 180, 120))));
    }

    public static TheoryData<Reading> ReadingsToRoundTrip() =>
    [
        new PegelReading("4910010", Samples.At, 187.0),
        new PegelReading("ä/ü", new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.FromMinutes(-150)).AddTicks(1234567), -999.25),
        new ParkingReading("p1", Samples.At, null, 40, null),
        new ParkingReading("p1", Samples.At, 0, 220, 220),
        new BusPosition("b1", Samples.At, -89.5, 179.9999),
        new BusPosition("b1", Samples.At, 52, 8, "L1", "T", -60, 359.5, 0.1, "05766044"),
    ];

    [Theory]
    [MemberData(nameof(ReadingsToRoundTrip))]
    public void Serialized_readings_validate_back_to_equal_readings(Reading reading)
    {
        var record = new Validation.RawRecord(TopicOf(reading.Kind), 0, 0, Encoding.UTF8.GetBytes(reading.SubjectId), ContractJson.SerializeReading(reading));

        var back = Validator().ValidateReading(reading.Kind, record);

        Assert.Equal(reading, Assert.IsType<Validation.ReadingValidation.Valid>(back).Reading);
        Assert.Equal(reading.ObservedAt.Offset, ((Validation.ReadingValidation.Valid)back).Reading.ObservedAt.Offset);
    }

    public static TheoryData<RegistryEntry> EntriesToRoundTrip() =>
    [
        new MunicipalityEntry("05766044", null, null),
        new PegelEntry("4910010", "05766044", null, null, null, null, [150], 0, null, 1),
        new PegelEntry("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.9, [-10, 150.5, 200, 9999], 12.5, 0.5, 900),
        new ParkingEntry("p", "m", "P", 1, 100, 0, 60),
        new BusEntry("b", "m", "Bus", -60, -120, 30),
    ];

    [Theory]
    [MemberData(nameof(EntriesToRoundTrip))]
    public void Serialized_registry_entries_validate_back_to_equal_entries(RegistryEntry entry)
    {
        var back = Validator().ValidateRegistry(new Validation.RawRecord(RegistryTopic, 0, 0, Encoding.UTF8.GetBytes(entry.Subject),
            ContractJson.SerializeRegistryEntry(entry)));

        Assert.Equal(entry, back.ValidEntry<RegistryEntry>());
        Assert.Equal(entry, ContractJson.Deserialize<RegistryEntry>(ContractJson.SerializeRegistryEntry(entry)));
    }

    [Fact]
    public void A_municipality_boundary_round_trips_as_the_same_json()
    {
        using var doc = JsonDocument.Parse("""{"type":"Polygon","coordinates":[[[8.8,52],[9,52],[9,52.1],[8.8,52]]]}""");
        var entry = new MunicipalityEntry("m", "M", doc.RootElement.Clone());

        var back = ContractJson.Deserialize<MunicipalityEntry>(ContractJson.SerializeRegistryEntry(entry));

        Assert.True(JsonElement.DeepEquals(entry.Boundary!.Value, back.Boundary!.Value));
        Assert.Equal(ContractJson.SerializeRegistryEntry(entry), ContractJson.SerializeRegistryEntry(back));
    }

    [Fact]
    public void Deserializing_an_input_applies_the_validator_rules_and_defaults()
    {
        Assert.Equal(300, ContractJson.Deserialize<BusEntry>("""{"kind":"bus","id":"b","municipality":"m"}"""u8).DelayAlertSeconds);
        Assert.Equal(187, ContractJson.Deserialize<PegelReading>("""{"stationId":"s","observedAt":"2026-11-25T10:15:00Z","levelCm":187}"""u8).LevelCm);
        var ex = Assert.Throws<JsonException>(() => ContractJson.Deserialize<PegelReading>("""{"stationId":"s","observedAt":"2026-11-25T10:15:00Z","levelCm":"abc"}"""u8));
        Assert.Equal("invalid-field: levelCm: expected a number, got \"abc\"", ex.Message);
        Assert.Throws<JsonException>(() => ContractJson.Deserialize<ParkingEntry>("""{"kind":"bus","id":"b","municipality":"m"}"""u8));
    }

    [Fact]
    public void Deserializing_a_type_outside_the_contract_is_not_supported() =>
        Assert.Throws<NotSupportedException>(() => ContractJson.Deserialize<Uri>("\"x\""u8));

    [Fact]
    public void The_context_is_source_generated_for_every_output_record()
    {
        Assert.NotNull(ContractJson.Context.AlertEvent);
        Assert.NotNull(ContractJson.Context.MunicipalityAggregate);
        Assert.NotNull(ContractJson.Context.DeadLetter);
        Assert.Same(ContractJson.Context, ContractJson.Options.TypeInfoResolver);
        Assert.False(ContractJson.Options.WriteIndented);
    }
}
