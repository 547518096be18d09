namespace Streams.EndToEnd.Tests.Crash;

/// <summary>Host settings the crash and fault tests share.</summary>
public static class HostTuning
{
    /// <summary>
    /// A killed member stays in the group until its session times out (librdkafka's default is 45 s), and the next
    /// incarnation gets no partitions before that. A short session keeps the restarts of the tests quick; it is
    /// what a deployment that wants fast fail-over would set too.
    /// </summary>
    public const string FastGroupRejoin = "--Streams:Kafka:Properties:session.timeout.ms=6000";
}
