using System.Text;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Contracts.Serialization;
using Streams.Contracts.Validation;

namespace Streams.Feeds.Model;

/// <summary>
/// What importers produce: registry entries, readings and rejects. Every record is checked against the contract's
/// <see cref="RecordValidator"/> before it is accepted (serialized exactly as it will be written, with its key); a
/// record the validator refuses becomes a reject with the validator's reason, so nothing invalid is ever written and
/// nothing is dropped silently.
/// </summary>
public sealed class FeedBatch
{
    private readonly RecordValidator _validator;
    private readonly Dictionary<string, RegistryEntry> _registry = new();
    private readonly List<Reading> _readings = [];
    private readonly List<FeedReject> _rejects = [];
    private readonly HashSet<string> _attempted = [];

    public FeedBatch(TimeProvider? clock = null) => _validator = new RecordValidator(clock ?? TimeProvider.System);

    /// <summary>Registry entries by subject (<c>{kind}/{id}</c>); a later entry for the same subject replaces the earlier.</summary>
    public IReadOnlyCollection<RegistryEntry> Registry => _registry.Values;

    /// <summary>Readings in the order the sources gave them.</summary>
    public IReadOnlyList<Reading> Readings => _readings;

    public IReadOnlyList<FeedReject> Rejects => _rejects;

    /// <summary>
    /// True the first time a subject's registry entry is attempted: sources repeat a subject on every row, and a
    /// subject that cannot be registered is reported once, not once per row.
    /// </summary>
    public bool FirstAttempt(SubjectKind kind, string id) => _attempted.Add(SubjectKinds.SubjectKey(kind, id));

    public void Reject(string source, string position, string reason) => _rejects.Add(new FeedReject(source, position, reason));

    /// <summary>Adds the entry when the contract accepts it, else records a reject; true when added.</summary>
    public bool AddRegistry(RegistryEntry entry, string source, string position)
    {
        var record = new RawRecord("import", 0, 0, Encoding.UTF8.GetBytes(entry.Subject), ContractJson.SerializeRegistryEntry(entry));
        if (_validator.ValidateRegistry(record) is RegistryValidation.Rejected rejected)
        {
            Reject(source, position, $"{rejected.DeadLetter.Reason}: {rejected.DeadLetter.Error}");
            return false;
        }
        _registry[entry.Subject] = entry;
        return true;
    }

    /// <summary>Adds the reading when the contract accepts it, else records a reject; true when added.</summary>
    public bool AddReading(Reading reading, string source, string position)
    {
        var record = new RawRecord("import", 0, 0, Encoding.UTF8.GetBytes(reading.SubjectId), ContractJson.SerializeReading(reading));
        if (_validator.ValidateReading(reading.Kind, record) is ReadingValidation.Rejected rejected)
        {
            Reject(source, position, $"{rejected.DeadLetter.Reason}: {rejected.DeadLetter.Error}");
            return false;
        }
        _readings.Add(reading);
        return true;
    }

    /// <summary>
    /// Everything to write, in the order to write it: registry entries first (municipalities before the sensors that
    /// name them), then readings in event-time order (stable: equal times keep their source order).
    /// </summary>
    public IEnumerable<FeedRecord> InWriteOrder() =>
        _registry.Values.OrderBy(e => e.Kind == SubjectKind.Municipality ? 0 : 1).Select(e => (FeedRecord)new FeedRecord.Entry(e))
            .Concat(_readings.OrderBy(r => r.ObservedAt).Select(r => (FeedRecord)new FeedRecord.Measurement(r)));
}
