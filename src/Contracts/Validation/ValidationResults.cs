using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Contracts.Validation;

/// <summary>A reading record is either a typed reading or a dead letter.</summary>
public abstract record ReadingValidation
{
    public sealed record Valid(Reading Reading) : ReadingValidation;
    public sealed record Rejected(DeadLetter DeadLetter) : ReadingValidation;
}

/// <summary>A registry record is an entry, a tombstone (null value) or a dead letter.</summary>
public abstract record RegistryValidation
{
    public sealed record Entry(RegistryEntry Value) : RegistryValidation;
    public sealed record Tombstone(SubjectKind Kind, string Id) : RegistryValidation;
    public sealed record Rejected(DeadLetter DeadLetter) : RegistryValidation;
}
