using Streams.Contracts;

namespace Streams.Actors.Ingestion;

public sealed record InputTopics(string Registry, string Pegel, string Parking, string Bus)
{
    public IReadOnlyList<string> Readings => [Pegel, Parking, Bus];

    public SubjectKind KindOf(string topic) =>
        topic == Pegel ? SubjectKind.Pegel
        : topic == Parking ? SubjectKind.Parking
        : topic == Bus ? SubjectKind.Bus
        : throw new ArgumentException($"{topic} is not a readings topic", nameof(topic));
}
