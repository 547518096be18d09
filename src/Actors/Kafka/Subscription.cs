namespace Streams.Actors.Kafka;

/// <summary>What a source reads: topics in a consumer group, or every partition of a topic from the beginning without a group.</summary>
public abstract record Subscription
{
    public sealed record Topics(IReadOnlyList<string> Names) : Subscription
    {
        public override string ToString() => $"topics [{string.Join(", ", Names)}]";
    }

    public sealed record AllPartitionsFromBeginning(string Topic) : Subscription
    {
        public override string ToString() => $"all partitions of {Topic} from the beginning";
    }

    public static Subscription OfTopics(params string[] names) => new Topics(names);
    public static Subscription FromBeginning(string topic) => new AllPartitionsFromBeginning(topic);
}
