using System.Text.Json.Serialization;
using Streams.Contracts.Serialization;

namespace Streams.Contracts.Outputs;

/// <summary>A rejected input record with the reason (<c>streams.deadletter</c>).</summary>
public sealed record DeadLetter(
    string SourceTopic,
    int Partition,
    long Offset,
    string? Key,
    string Reason,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Payload,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PayloadBase64,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// <c>{sourceTopic}/{partition}/{offset}</c>: the same record rejected again (after a restart, or by another
    /// node reading the registry) gives the same id, so consumers deduplicate by it.
    /// </summary>
    [JsonPropertyOrder(-1)]
    public string Id => $"{SourceTopic}/{Partition}/{Offset}";
}

/// <summary>The contract's dead-letter reasons, and nothing else.</summary>
public static class DeadLetterReasons
{
    public const string NotJson = "not-json";
    public const string MissingField = "missing-field";
    public const string InvalidField = "invalid-field";
    public const string OutOfRange = "out-of-range";
    public const string UnknownSubject = "unknown-subject";
    public const string TooLarge = "too-large";
    public const string FutureTimestamp = "future-timestamp";

    public static readonly IReadOnlyList<string> All =
        [NotJson, MissingField, InvalidField, OutOfRange, UnknownSubject, TooLarge, FutureTimestamp];
}
