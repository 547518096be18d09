using Streams.Bench.Report;

namespace Streams.Bench.Scenarios;

/// <summary>A figure's target from the issue, and whether a value meets it.</summary>
public sealed record Target(string Figure, string Text, Func<double, bool> Met);

/// <summary>A named scenario. Its options are read when it is created, so the report can state them before it runs.</summary>
public interface IScenario
{
    string Name { get; }

    /// <summary>One sentence: what it writes, how, and what it measures.</summary>
    string What { get; }

    IReadOnlyList<Target> Targets { get; }

    /// <summary>One run (of <c>--runs</c>); <paramref name="runDir"/> is its own directory for data and logs.</summary>
    Task<Figures> RunOnce(int run, string runDir);
}
