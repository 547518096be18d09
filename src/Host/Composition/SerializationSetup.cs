using Akka.Hosting;
using Streams.Actors.Entities;
using Streams.Actors.Serialization;
using Streams.Host.Configuration;

namespace Streams.Host.Composition;

/// <summary>The serializer of everything persisted or sent between nodes, with the configured form of the applied-readings event.</summary>
public static class SerializationSetup
{
    public static AkkaConfigurationBuilder WithStreamsSerialization(this AkkaConfigurationBuilder builder, StreamsOptions options)
    {
        var form = options.Persistence.ReadingsEventForm;
        if (!Enum.IsDefined(form))
            throw new InvalidOperationException($"Streams:Persistence:ReadingsEventForm must be Binary or Json, not {form}");
        return builder.WithCustomSerializer("streams-json", [typeof(IStreamsMessage)], system => new StreamsJsonSerializer(system, form));
    }
}
