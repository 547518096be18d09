using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Rules;

/// <summary>Maps a transition to the contract's CloudEvent, with an id that is a function of (subject, rule, state, episodeStartedAt).</summary>
public static class AlertEvents
{
    public const string SpecVersion = "1.0";
    public const string DataContentType = "application/json";

    /// <summary>The project's fixed namespace for the name-based (version 5) event ids. Never change it: ids would change.</summary>
    public static readonly Guid IdNamespace = new("cf35c02f-56c4-4073-8544-90a999509dcd");

    public static AlertEvent ToCloudEvent(SensorEntry entry, AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(transition);
        var subject = entry.Subject;
        var data = new AlertData(
            transition.Rule,
            transition.State,
            transition.Severity,
            entry.Municipality,
            entry.Kind.ToWire(),
            entry.Id,
            transition.Value,
            transition.Threshold,
            transition.EpisodeStartedAt,
            transition.Message)
        {
            TrendCmPerHour = transition.TrendCmPerHour,
            Stage = transition.Stage,
            PreviousStage = transition.PreviousStage,
        };
        return new AlertEvent(
            SpecVersion,
            DeterministicId(subject, transition.Rule, transition.State, transition.EpisodeStartedAt),
            $"/streams/municipalities/{entry.Municipality}",
            transition.State == AlertStates.Raised ? AlertEvent.RaisedType : AlertEvent.ClearedType,
            subject,
            transition.Time,
            DataContentType,
            data);
    }

    /// <summary>
    /// A version 5 (SHA-1, name-based) UUID per RFC 9562 over <see cref="IdNamespace"/> and
    /// <c>{subject}|{rule}|{state}|{episodeStartedAt in UTC, ISO 8601 round-trip format with 'Z'}</c>;
    /// lower-case, with hyphens.
    /// </summary>
    public static string DeterministicId(string subject, string rule, string state, DateTimeOffset episodeStartedAt)
    {
        var started = episodeStartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return NameBasedUuid(IdNamespace, $"{subject}|{rule}|{state}|{started}").ToString("D");
    }

    /// <summary>RFC 9562 §5.5: UUID version 5 of <paramref name="name"/> (UTF-8) in <paramref name="namespaceId"/>.</summary>
    public static Guid NameBasedUuid(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        if (!namespaceId.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("could not write the namespace UUID");
        }

        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // variant 10xx
        return new Guid(uuid, bigEndian: true);
    }
}
