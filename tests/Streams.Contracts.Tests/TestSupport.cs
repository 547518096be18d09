using System.Text;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Validation;

namespace Streams.Contracts.Tests;

/// <summary>A clock that stands still until told to move.</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

internal static class Records
{
    /// <summary>10:20 in Lemgo on the contract's example day; the examples (10:15 +01:00) are 5 minutes old.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 20, 0, TimeSpan.Zero);

    public const string PegelTopic = "streams.pegel";
    public const string ParkingTopic = "streams.parking";
    public const string BusTopic = "streams.bus";
    public const string RegistryTopic = "streams.registry";

    public static RecordValidator Validator(DateTimeOffset? now = null) => new(new FakeClock(now ?? Now));

    public static string TopicOf(SubjectKind kind) => kind switch
    {
        SubjectKind.Pegel => PegelTopic,
        SubjectKind.Parking => ParkingTopic,
        SubjectKind.Bus => BusTopic,
        _ => RegistryTopic,
    };

    public static RawRecord Raw(string topic, string? key, string? value, int partition = 3, long offset = 1207) =>
        new(topic, partition, offset, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));

    public static RawRecord Raw(string topic, string? key, byte[]? value) =>
        new(topic, 3, 1207, key is null ? null : Encoding.UTF8.GetBytes(key), value);

    public static ReadingValidation Reading(SubjectKind kind, string? key, string? value, RecordValidator? validator = null) =>
        (validator ?? Validator()).ValidateReading(kind, Raw(TopicOf(kind), key, value));

    public static RegistryValidation RegistryRecord(string? key, string? value, RecordValidator? validator = null) =>
        (validator ?? Validator()).ValidateRegistry(Raw(RegistryTopic, key, value));

    public static T ValidReading<T>(this ReadingValidation result) where T : Reading
    {
        if (result is ReadingValidation.Rejected rejected)
            Assert.Fail($"expected a valid reading, got {rejected.DeadLetter.Reason}: {rejected.DeadLetter.Error}");
        return Assert.IsAssignableFrom<T>(Assert.IsType<ReadingValidation.Valid>(result).Reading);
    }

    public static DeadLetter DeadLetter(this ReadingValidation result)
    {
        if (result is ReadingValidation.Valid valid)
            Assert.Fail($"expected a dead letter, got {valid.Reading}");
        return Assert.IsType<ReadingValidation.Rejected>(result).DeadLetter;
    }

    public static T ValidEntry<T>(this RegistryValidation result) where T : RegistryEntry
    {
        if (result is RegistryValidation.Rejected rejected)
            Assert.Fail($"expected an entry, got {rejected.DeadLetter.Reason}: {rejected.DeadLetter.Error}");
        return Assert.IsAssignableFrom<T>(Assert.IsType<RegistryValidation.Entry>(result).Value);
    }

    public static DeadLetter DeadLetter(this RegistryValidation result)
    {
        if (result is not RegistryValidation.Rejected rejected)
        {
            Assert.Fail($"expected a dead letter, got {result}");
            return null!;
        }

        return rejected.DeadLetter;
    }

    /// <summary>Asserts reason and that the error names the field (the text before the first colon).</summary>
    public static DeadLetter AssertReason(this DeadLetter dead, string reason, string? field = null)
    {
        Assert.True(dead.Reason == reason, $"expected {reason}, got {dead.Reason}: {dead.Error}");
        if (field is not null)
            Assert.StartsWith(field, dead.Error, StringComparison.Ordinal);
        return dead;
    }
}
