using Streams.Contracts.Outputs;

namespace Streams.Contracts.Validation;

/// <summary>
/// Turns raw records into typed readings and registry entries, or into dead letters with the contract's reason
/// and a human-readable error. Never throws for bad input.
/// </summary>
public sealed class RecordValidator(TimeProvider clock)
{
    private readonly TimeProvider _clock = clock;

    public const int MaxValueBytes = 64 * 1024;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ReadingValidation ValidateReading(SubjectKind kind, RawRecord record) => throw new NotImplementedException();

    public RegistryValidation ValidateRegistry(RawRecord record) => throw new NotImplementedException();

    /// <summary>A dead letter for this record, e.g. <c>unknown-subject</c> decided after validation.</summary>
    public DeadLetter Reject(RawRecord record, string reason, string error) => throw new NotImplementedException(_clock.ToString());
}
