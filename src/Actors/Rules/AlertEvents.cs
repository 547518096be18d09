using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Rules;

/// <summary>Maps a transition to the contract's CloudEvent, with an id that is a function of (subject, rule, state, episodeStartedAt).</summary>
public static class AlertEvents
{
    public static AlertEvent ToCloudEvent(SensorEntry entry, AlertTransition transition) => throw new NotImplementedException();

    public static string DeterministicId(string subject, string rule, string state, DateTimeOffset episodeStartedAt) => throw new NotImplementedException();
}
