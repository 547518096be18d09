using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

/// <summary>Bytes shaped like almost-valid contract JSON: valid fragments, wrong types, odd numbers, broken syntax.</summary>
public sealed record JsonishValue(byte[] Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}

public static class ValidatorArbitraries
{
    private static readonly string[] Names =
    [
        "stationId", "facilityId", "vehicleId", "observedAt", "levelCm", "free", "occupied", "capacity", "lat", "lon", "delaySeconds",
        "kind", "id", "municipality", "stagesCm", "hysteresisCm", "riseCmPerHour", "expectedIntervalSeconds", "almostFullPercent",
        "clearPercent", "delayAlertSeconds", "delayClearSeconds", "boundary", "type", "coordinates", "name", "x",
        "routeId", "tripId", "bearing", "speedMps",
    ];

    private static readonly string[] Scalars =
    [
        "\"4910010\"", "\"\"", "\"2026-11-25T10:15:00+01:00\"", "\"2026-11-25T10:15:00\"", "\"2099-01-01T00:00:00Z\"", "\"1999-01-01T00:00:00Z\"",
        "187.0", "-1000", "10000.1", "0", "-1", "12.5", "1e999", "-1e400", "NaN", "Infinity", "\"NaN\"", "\"-Infinity\"", "\"187\"", "null", "true",
        "\"pegel\"", "\"parking\"", "\"bus\"", "\"municipality\"", "\"river\"", "\"Polygon\"", "\"MultiPolygon\"", "\"\\ud800\"", "\"\\u00e4\"",
        "[150,200,250]", "[]", "[1,1]", "[[[8.8,52.0],[9.0,52.0],[9.0,52.1],[8.8,52.0]]]", "{}", "2147483648", "-0", "1E2",
    ];

    private static readonly string[] Breakers = ["", ",", "}", "{", "]", "[", "\"", ":", "\\", "/*", " ", "\u0000", "\u00ff", "\uFFFD"];

    private static Gen<string> Value(int depth) =>
        depth <= 0
            ? Gen.Elements(Scalars)
            : Gen.Frequency(
                (6, Gen.Elements(Scalars)),
                (1, Object(depth - 1)),
                (1, Gen.ListOf(Value(depth - 1)).Select(items => "[" + string.Join(",", items.Take(5)) + "]")));

    private static Gen<string> Object(int depth) =>
        Gen.ListOf(Gen.Elements(Names).Zip(Value(depth)).Select(p => $"\"{p.Item1}\":{p.Item2}"))
            .Select(members => "{" + string.Join(",", members.Take(12)) + "}");

    /// <summary>Valid records of every kind, as (name, value) members, to mutate one member at a time.</summary>
    private static readonly (string Name, string Value)[][] Templates =
    [
        [("stationId", "\"4910010\""), ("observedAt", "\"2026-11-25T10:15:00+01:00\""), ("levelCm", "187.0")],
        [("facilityId", "\"4910010\""), ("observedAt", "\"2026-11-25T10:15:00+01:00\""), ("free", "12"), ("capacity", "220")],
        [("vehicleId", "\"4910010\""), ("observedAt", "\"2026-11-25T10:15:03+01:00\""), ("lat", "52.0279"), ("lon", "8.8997"), ("delaySeconds", "240")],
        [("vehicleId", "\"4910010\""), ("observedAt", "\"2026-11-25T10:15:03Z\""), ("lat", "-3.5"), ("lon", "-179"), ("routeId", "\"L1\""),
            ("tripId", "\"\""), ("bearing", "90"), ("speedMps", "8.3"), ("municipality", "\"05766044\"")],
        [("facilityId", "\"4910010\""), ("observedAt", "\"2026-11-25T10:15:00.123+14:00\""), ("occupied", "220.0"), ("capacity", "220")],
        [("kind", "\"pegel\""), ("id", "\"4910010\""), ("municipality", "\"05766044\""), ("stagesCm", "[150,200,250]"), ("riseCmPerHour", "20")],
        [("kind", "\"parking\""), ("id", "\"4910010\""), ("municipality", "\"05766044\""), ("capacity", "220")],
        [("kind", "\"bus\""), ("id", "\"4910010\""), ("municipality", "\"05766044\"")],
        [("kind", "\"municipality\""), ("id", "\"4910010\""), ("boundary", "{\"type\":\"Polygon\",\"coordinates\":[[[8.8,52.0],[9.0,52.0],[9.0,52.1],[8.8,52.0]]]}")],
    ];

    private static Gen<string> Mutated() =>
        from template in Gen.Elements(Templates)
        from index in Gen.Choose(0, template.Length - 1)
        from mutation in Gen.Choose(0, 4)
        from value in Value(1)
        from name in Gen.Elements(Names)
        select "{" + string.Join(",", Mutate(template, index, mutation, name, value).Select(m => $"\"{m.Name}\":{m.Value}")) + "}";

    private static IEnumerable<(string Name, string Value)> Mutate((string Name, string Value)[] members, int index, int mutation, string name, string value) =>
        mutation switch
        {
            0 => members, // unchanged: valid
            1 => members.Select((m, i) => i == index ? (m.Name, value) : m), // a member gets another value
            2 => members.Where((_, i) => i != index), // a member is dropped
            3 => members.Append((members[index].Name, value)), // a duplicate key
            _ => members.Append((name, value)), // an extra (or duplicate) member
        };

    public static Arbitrary<JsonishValue> Jsonish() =>
        Gen.Frequency((3, Mutated()), (1, Object(3)))
            .SelectMany(json => Gen.Frequency(
                (6, Gen.Constant(json)),
                (1, Gen.Choose(0, json.Length).Zip(Gen.Elements(Breakers)).Select(p => json.Insert(p.Item1, p.Item2))),
                (1, Gen.Choose(0, json.Length).Select(n => json[..n]))))
            .Select(s => new JsonishValue(Encoding.UTF8.GetBytes(s)))
            .ToArbitrary();

    public static Arbitrary<PegelReading> PegelReadings() =>
        (from id in Gen.Elements("4910010", "a", "Pegel ä/ü", "x\"y\\z")
         from seconds in Gen.Choose(946_684_800, 1_764_062_100)
         from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
         from centimetres in Gen.Choose(-100_000, 1_000_000)
         select new PegelReading(id, DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(TimeSpan.FromMinutes(offsetMinutes)), centimetres / 100.0))
            .ToArbitrary();
}

public class ValidatorPropertyTests
{
    private static readonly SubjectKind[] ReadingKinds = [SubjectKind.Pegel, SubjectKind.Parking, SubjectKind.Bus];

    private static void AssertExactlyOneResult(byte[]? key, byte[]? value)
    {
        var validator = Validator();
        foreach (var kind in ReadingKinds)
        {
            var result = validator.ValidateReading(kind, new RawRecord(TopicOf(kind), 0, 0, key, value));
            switch (result)
            {
                case ReadingValidation.Valid { Reading: not null } valid:
                    Assert.Equal(kind, valid.Reading.Kind);
                    break;
                case ReadingValidation.Rejected { DeadLetter: not null } rejected:
                    AssertWellFormed(rejected.DeadLetter, value);
                    break;
                default:
                    Assert.Fail($"no result for {kind}: {result}");
                    break;
            }
        }

        var registry = validator.ValidateRegistry(new RawRecord(RegistryTopic, 0, 0, key, value));
        switch (registry)
        {
            case RegistryValidation.Entry { Value: not null }:
            case RegistryValidation.Tombstone when value is null:
                break;
            case RegistryValidation.Rejected { DeadLetter: not null } rejected:
                AssertWellFormed(rejected.DeadLetter, value);
                break;
            default:
                Assert.Fail($"no result for the registry: {registry}");
                break;
        }
    }

    private static void AssertWellFormed(DeadLetter dead, byte[]? value)
    {
        Assert.Contains(dead.Reason, DeadLetterReasons.All);
        Assert.False(string.IsNullOrEmpty(dead.Error));
        Assert.False(dead.Payload is not null && dead.PayloadBase64 is not null);
        Assert.Equal(value is not null, dead.Payload is not null || dead.PayloadBase64 is not null);
        Assert.NotEmpty(ContractJson.Serialize(dead));
    }

    [Property(MaxTest = 500)]
    public void The_validator_never_throws_for_arbitrary_bytes_and_yields_exactly_one_result(byte[]? key, byte[]? value) =>
        AssertExactlyOneResult(key, value);

    [Property(MaxTest = 2000, Arbitrary = [typeof(ValidatorArbitraries)])]
    public void The_allocation_free_json_pass_accepts_exactly_the_clean_objects_without_escapes(JsonishValue value)
    {
        var bytes = value.Bytes;
        if (bytes.Length == 0 || !System.Text.Unicode.Utf8.IsValid(bytes)) return;
        var fast = JsonInspection.IsPlainCleanObject(bytes);
        var full = JsonInspection.InspectFully(bytes);
        // Never clean where the full inspection finds a problem; and, without escapes, clean wherever it finds none.
        if (fast) Assert.Null(full);
        if (full is null && !bytes.Contains((byte)'\\')) Assert.True(fast, Encoding.UTF8.GetString(bytes));
    }

    [Property(MaxTest = 3000, Arbitrary = [typeof(ValidatorArbitraries)])]
    public void The_one_pass_reading_parser_accepts_only_what_the_document_parser_accepts_and_every_valid_reading_without_escapes(
        JsonishValue value, byte keyChoice)
    {
        byte[]? key = (keyChoice % 3) switch { 0 => null, 1 => "4910010"u8.ToArray(), _ => "other"u8.ToArray() };
        foreach (var kind in ReadingKinds)
        {
            var onePass = ContractParser.TryParsePlainReading(kind, value.Bytes, key);
            var document = ContractParser.ParseReadingFromDocument(kind, value.Bytes, key);
            if (onePass is not null)
            {
                Assert.Null(document.Problem);
                Assert.Equal(document.Value, onePass);
                Assert.Equal(document.Value!.ObservedAt.Offset, onePass.ObservedAt.Offset);
            }
            else if (document.Problem is null && !value.Bytes.Contains((byte)'\\'))
            {
                Assert.Fail($"a valid {kind} reading without escapes was left to the document parser: {value}");
            }
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(ValidatorArbitraries)])]
    public void The_validator_never_throws_for_almost_valid_json_and_yields_exactly_one_result(JsonishValue value, bool withKey) =>
        AssertExactlyOneResult(withKey ? "4910010"u8.ToArray() : null, value.Bytes);

    [Property(MaxTest = 300, Arbitrary = [typeof(ValidatorArbitraries)])]
    public void Serialized_pegel_readings_validate_back_to_equal_readings(PegelReading reading)
    {
        var result = Validator().ValidateReading(SubjectKind.Pegel,
            new RawRecord(PegelTopic, 0, 0, Encoding.UTF8.GetBytes(reading.StationId), ContractJson.SerializeReading(reading)));

        var back = result.ValidReading<PegelReading>();
        Assert.Equal(reading, back);
        Assert.Equal(reading.ObservedAt.Offset, back.ObservedAt.Offset);
    }
}
