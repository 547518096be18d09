using System.Text;
using System.Text.Json;
using NJsonSchema;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

public class SchemaTests
{
    private static readonly string[] Expected =
    [
        "alert-event.schema.json", "bus-position.schema.json", "dead-letter.schema.json", "municipality-aggregate.schema.json",
        "parking-reading.schema.json", "pegel-reading.schema.json", "registry-entry.schema.json",
    ];

    private static readonly Dictionary<string, JsonSchema> Cache = [];

    private static JsonSchema Schema(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var schema))
                Cache[name] = schema = JsonSchema.FromJsonAsync(ContractSchemas.Read(name)).GetAwaiter().GetResult();
            return schema;
        }
    }

    private static void AssertValid(string schemaName, string json)
    {
        var errors = Schema(schemaName).Validate(json);
        Assert.True(errors.Count == 0, $"{json}\nis not a valid {schemaName}:\n{string.Join("\n", errors.Select(e => e.ToString()))}");
    }

    private static void AssertInvalid(string schemaName, string json) =>
        Assert.True(Schema(schemaName).Validate(json).Count > 0, $"{schemaName} accepted {json}");

    [Fact]
    public void Every_record_of_the_contract_has_an_embedded_schema() =>
        Assert.Equal(Expected, ContractSchemas.Names);

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Each_schema_is_draft_2020_12_with_its_v1_id_a_description_and_required_fields(string name)
    {
        using var doc = JsonDocument.Parse(ContractSchemas.Read(name));
        var root = doc.RootElement;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.Equal($"https://streams.example/schemas/v1/{name}", root.GetProperty("$id").GetString());
        Assert.Equal(ContractSchemas.IdOf(name), root.GetProperty("$id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("description").GetString()));
        Assert.True(root.GetProperty("required").GetArrayLength() >= 2);
        Assert.NotNull(Schema(name));
    }

    public static TheoryData<string> SchemaNames() => new(Expected);

    [Fact]
    public void Schemas_can_be_read_by_short_name_and_unknown_names_fail_clearly()
    {
        Assert.Equal(ContractSchemas.Read(ContractSchemas.PegelReading), ContractSchemas.Read("pegel-reading"));
        Assert.Equal(ContractSchemas.ParkingReading, ContractSchemas.ForReading(SubjectKind.Parking));
        Assert.Contains("pegel-reading.schema.json", Assert.Throws<KeyNotFoundException>(() => ContractSchemas.Read("river")).Message, StringComparison.Ordinal);
    }

    // ---- the contract's own examples ----

    [Fact]
    public void Every_json_example_in_the_contract_validates_against_its_schema()
    {
        var examples = ContractExamples.All();

        Assert.True(examples.Count >= 10, $"found only {examples.Count} examples");
        Assert.Equal(Expected, examples.Select(ContractExamples.SchemaFor).Distinct().Order(StringComparer.Ordinal));
        foreach (string example in examples)
            AssertValid(ContractExamples.SchemaFor(example), example);
    }

    [Fact]
    public void The_inline_copy_of_the_examples_matches_the_contract()
    {
        var inline = ContractExamples.Extract(ContractExamples.Inline);
        Assert.Equal(10, inline.Count);
        // Without the contract the copy cannot be shown to be current: that is a failure, not a pass.
        var path = ContractExamples.FindContract()
            ?? throw new FileNotFoundException($"shared/contracts/CONTRACT.md not found above {AppContext.BaseDirectory}; set STREAMS_CONTRACT to its path");

        Assert.Equal(inline.Select(Canonical), ContractExamples.Extract(File.ReadAllText(path)).Select(Canonical));
    }

    [Fact]
    public void Contract_input_examples_are_accepted_by_the_validator()
    {
        var validator = Validator();
        foreach (string example in ContractExamples.All())
        {
            string schema = ContractExamples.SchemaFor(example);
            byte[] value = Encoding.UTF8.GetBytes(example);
            if (schema == ContractSchemas.RegistryEntry)
            {
                using var doc = JsonDocument.Parse(example);
                string key = $"{doc.RootElement.GetProperty("kind").GetString()}/{doc.RootElement.GetProperty("id").GetString()}";
                validator.ValidateRegistry(new RawRecord(RegistryTopic, 0, 0, Encoding.UTF8.GetBytes(key), value)).ValidEntry<RegistryEntry>();
            }
            else if (schema is ContractSchemas.PegelReading or ContractSchemas.ParkingReading or ContractSchemas.BusPosition)
            {
                var kind = schema == ContractSchemas.PegelReading ? SubjectKind.Pegel : schema == ContractSchemas.ParkingReading ? SubjectKind.Parking : SubjectKind.Bus;
                validator.ValidateReading(kind, new RawRecord(TopicOf(kind), 0, 0, null, value)).ValidReading<Reading>();
            }
        }
    }

    [Fact]
    public void The_examples_are_split_per_object_even_across_line_breaks()
    {
        var objects = ContractExamples.Extract("```json\n{\"a\":\"}{\",\n \"b\":[1,\n2]}\n{\"c\":\"\\\"}\"}\n```\ntext {not json}\n");

        Assert.Equal(["{\"a\":\"}{\",\n \"b\":[1,\n2]}", "{\"c\":\"\\\"}\"}"], objects);
    }

    // ---- our own outputs ----

    [Fact]
    public void Serialized_alerts_validate_against_the_alert_schema()
    {
        AssertValid(ContractSchemas.AlertEvent, Text(ContractJson.Serialize(Samples.Alert())));
        AssertValid(ContractSchemas.AlertEvent, Text(ContractJson.Serialize(Samples.Alert(AlertStates.Cleared) with { Time = Samples.At.ToUniversalTime() })));
        AssertValid(ContractSchemas.AlertEvent, Text(ContractJson.Serialize(Samples.Alert() with
        {
            Subject = "parking/lemgo-p1",
            Data = Samples.Alert().Data with { Rule = AlertRules.ParkingFull, Kind = "parking", Severity = Severities.Warning, Stage = null, PreviousStage = null, TrendCmPerHour = 1.5 },
        })));
    }

    [Fact]
    public void Serialized_aggregates_validate_against_the_aggregate_schema()
    {
        AssertValid(ContractSchemas.MunicipalityAggregate, Text(ContractJson.Serialize(Samples.Aggregate())));
        AssertValid(ContractSchemas.MunicipalityAggregate, Text(ContractJson.Serialize(Samples.Aggregate(name: null))));
    }

    public static TheoryData<string?, string?> RejectedValues() => new()
    {
        { "4910010", null },
        { null, "" },
        { "4910010", "not json" },
        { "4910010", """{"stationId":"4910010"}""" },
        { "x", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":1}""" },
        { "4910010", """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":-99999}""" },
        { "4910010", """{"stationId":"4910010","observedAt":"2099-11-25T10:15:00+01:00","levelCm":1}""" },
        { "4910010", new string('x', 70_000) },
    };

    [Theory]
    [MemberData(nameof(RejectedValues))]
    public void Dead_letters_from_the_validator_validate_against_the_dead_letter_schema(string? key, string? value) =>
        AssertValid(ContractSchemas.DeadLetter, Text(ContractJson.Serialize(Reading(SubjectKind.Pegel, key, value).DeadLetter())));

    [Fact]
    public void Dead_letters_with_base64_payloads_validate_against_the_dead_letter_schema() =>
        AssertValid(ContractSchemas.DeadLetter, Text(ContractJson.Serialize(
            Validator().ValidateReading(SubjectKind.Bus, Raw(BusTopic, "b", [0xFF, 0x00])).DeadLetter())));

    [Theory]
    [MemberData(nameof(SerializationTests.EntriesToRoundTrip), MemberType = typeof(SerializationTests))]
    public void Serialized_registry_entries_validate_against_the_registry_schema(RegistryEntry entry) =>
        AssertValid(ContractSchemas.RegistryEntry, Text(ContractJson.SerializeRegistryEntry(entry)));

    [Theory]
    [MemberData(nameof(SerializationTests.ReadingsToRoundTrip), MemberType = typeof(SerializationTests))]
    public void Serialized_readings_validate_against_their_schema(Reading reading) =>
        AssertValid(ContractSchemas.ForReading(reading.Kind), Text(ContractJson.SerializeReading(reading)));

    [Fact]
    public void A_municipality_with_a_boundary_validates_against_the_registry_schema()
    {
        using var doc = JsonDocument.Parse("""{"type":"MultiPolygon","coordinates":[[[[8.8,52],[9,52],[9,52.1],[8.8,52]]]]}""");
        AssertValid(ContractSchemas.RegistryEntry, Text(ContractJson.SerializeRegistryEntry(new MunicipalityEntry("m", "M", doc.RootElement.Clone()))));
    }

    // ---- the schemas have teeth ----

    [Theory]
    [InlineData(ContractSchemas.PegelReading, """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00","levelCm":187}""")]
    [InlineData(ContractSchemas.PegelReading, """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00Z","levelCm":"187"}""")]
    [InlineData(ContractSchemas.PegelReading, """{"stationId":"4910010","observedAt":"2026-11-25T10:15:00Z","levelCm":10001}""")]
    [InlineData(ContractSchemas.PegelReading, """{"stationId":"4910010","levelCm":1}""")]
    [InlineData(ContractSchemas.ParkingReading, """{"facilityId":"p","observedAt":"2026-11-25T10:15:00Z","capacity":10}""")]
    [InlineData(ContractSchemas.ParkingReading, """{"facilityId":"p","observedAt":"2026-11-25T10:15:00Z","free":-1}""")]
    [InlineData(ContractSchemas.ParkingReading, """{"facilityId":"p","observedAt":"2026-11-25T10:15:00Z","free":1.5}""")]
    [InlineData(ContractSchemas.BusPosition, """{"vehicleId":"b","observedAt":"2026-11-25T10:15:00Z","lat":91,"lon":8}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"river","id":"r"}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"pegel","id":"p","municipality":"m"}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[1,2,3,4,5]}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"parking","id":"p","municipality":"m","capacity":0}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"bus","id":"b"}""")]
    [InlineData(ContractSchemas.RegistryEntry, """{"kind":"municipality","id":"m","boundary":{"type":"Point","coordinates":[8,52]}}""")]
    [InlineData(ContractSchemas.DeadLetter, """{"id":"t/0/0","sourceTopic":"t","partition":0,"offset":0,"key":null,"reason":"bad","error":"e","receivedAt":"2026-11-25T10:15:00Z"}""")]
    [InlineData(ContractSchemas.DeadLetter, """{"id":"t/0/0","sourceTopic":"t","partition":0,"offset":0,"key":null,"reason":"not-json","error":"e","payload":"","payloadBase64":"","receivedAt":"2026-11-25T10:15:00Z"}""")]
    [InlineData(ContractSchemas.DeadLetter, """{"sourceTopic":"t","partition":0,"offset":0,"key":null,"reason":"not-json","error":"e","receivedAt":"2026-11-25T10:15:00Z"}""")]
    [InlineData(ContractSchemas.AlertEvent, """{"specversion":"0.3","id":"i","source":"s","type":"streams.alert.raised","subject":"pegel/p","time":"2026-11-25T10:15:00Z","datacontenttype":"application/json","data":{}}""")]
    [InlineData(ContractSchemas.MunicipalityAggregate, """{"municipality":"m","name":"M","asOf":"2026-11-25T10:15:00Z","seq":1,"openAlerts":0}""")]
    public void Schemas_reject_records_the_contract_forbids(string schema, string json) => AssertInvalid(schema, json);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static string Canonical(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }
}
