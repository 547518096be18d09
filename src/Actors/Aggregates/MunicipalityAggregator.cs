using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;

namespace Streams.Actors.Aggregates;

/// <summary>Pure: the contract's municipality aggregate from the latest summary of every known subject.</summary>
public static class MunicipalityAggregator
{
    public static SensorSummary Summarize(SensorEntry entry, Rules.SensorState state) => throw new NotImplementedException();

    public static MunicipalityAggregate Compute(string municipality, string? name, long seq, IEnumerable<SensorSummary> subjects) => throw new NotImplementedException();
}
