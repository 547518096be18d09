using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;

namespace Streams.Feeds.Model;

/// <summary>One record to write to a contract topic, with its key and value as the contract defines them.</summary>
public abstract record FeedRecord
{
    public abstract string Key { get; }
    public abstract byte[] Serialize();

    /// <summary>Event time of a reading; none for a registry entry.</summary>
    public virtual DateTimeOffset? ObservedAt => null;

    /// <summary>A registry entry: key <c>{kind}/{id}</c> on the registry topic.</summary>
    public sealed record Entry(RegistryEntry RegistryEntry) : FeedRecord
    {
        public override string Key => RegistryEntry.Subject;
        public override byte[] Serialize() => ContractJson.SerializeRegistryEntry(RegistryEntry);
    }

    /// <summary>A reading: key = the subject's id, on its kind's readings topic.</summary>
    public sealed record Measurement(Reading Reading) : FeedRecord
    {
        public override string Key => Reading.SubjectId;
        public override byte[] Serialize() => ContractJson.SerializeReading(Reading);
        public override DateTimeOffset? ObservedAt => Reading.ObservedAt;
    }
}
