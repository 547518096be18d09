using Streams.Bench.Cli;
using Streams.Bench.Report;
using Streams.Bench.Scenarios;

namespace Streams.Bench.Floor;

/// <summary>
/// Not one of the scenarios: what the building blocks cost alone, in this process, without Kafka, SQLite,
/// validation or rules, with a journal that keeps nothing. One sharded persistent actor per subject (today's
/// design) against one per partition (the notes' proposal), for the same readings. It bounds from below what the host
/// can reach with either design on this machine.
/// </summary>
public sealed class FloorScenario(BenchOptions o) : IScenario
{
    private readonly FloorOptions _o = new(o);

    public string Name => "floor";

    public string What =>
        $"{_o.Subjects:N0} subjects × {_o.PerSubject} readings through sharded persistent actors in this process (a journal that keeps nothing, "
        + $"{_o.Shards} shards, {_o.InFlight:N0} asks in flight): one actor per subject, and one per partition fed pulls of {_o.Batch:N0}";

    public IReadOnlyList<Target> Targets { get; } = [];

    public async Task<Figures> RunOnce(int run, string runDir)
    {
        var figures = new Figures();
        var designs = _o.Designs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        void Progress(string line) => Console.WriteLine($"[bench] floor#{run} {line}");
        foreach (var design in designs)
        {
            switch (design)
            {
                case "subject":
                    await EntityPerSubject.Run(figures, _o, Progress);
                    break;
                case "partition":
                    await EntityPerPartition.Run(figures, _o, Progress);
                    break;
                default:
                    throw new UsageException($"--designs: unknown design '{design}' (subject, partition)");
            }
            GC.Collect();
        }
        return figures;
    }
}
