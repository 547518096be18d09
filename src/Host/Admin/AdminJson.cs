using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streams.Host.Admin;

/// <summary>Web defaults with enums as names: entity states carry enums that a person should be able to read.</summary>
public static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
