using Streams.Bench.Cli;
using Streams.Bench.Report;
using Streams.Bench.Scenarios;

// The benchmark: the real host (src/Host, a child process) against an embedded Kafka, and the bare Confluent.Kafka
// consume-and-parse loop over the same records as the reference. See docs/performance.md.
//
//   dotnet run -c Release --project bench/Streams.Bench -- <scenario> [--runs 3] [options]
BenchOptions options;
IScenario scenario;
try
{
    options = BenchOptions.Parse(args);
    scenario = ScenarioCatalog.Create(options);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"streams-bench: {e.Message}\n\n{ScenarioCatalog.Usage}");
    return 2;
}
var runs = options.Int("runs", 1);
var keep = options.Flag("keep");
if (options.Unused.Any())
{
    Console.Error.WriteLine($"streams-bench: unknown option(s) for {scenario.Name}: {string.Join(", ", options.Unused.Select(u => "--" + u))}\n\n{ScenarioCatalog.Usage}");
    return 2;
}

var machine = Machine.Describe();
var root = Directory.CreateTempSubdirectory($"streams-bench-{scenario.Name}-").FullName;
Console.WriteLine($"[bench] {scenario.Name}: {scenario.What}");
Console.WriteLine($"[bench] machine: {Machine.OneLine(machine)}");
Console.WriteLine($"[bench] options: {string.Join(' ', options.Effective.Select(o => $"--{o.Key}={o.Value}"))} {string.Join(' ', options.HostArgs)}");
Console.WriteLine($"[bench] runs: {runs}; logs under {root}");

var results = new List<Figures>();
try
{
    for (var run = 1; run <= runs; run++)
    {
        var runDir = Path.Combine(root, $"run{run}");
        Directory.CreateDirectory(runDir);
        results.Add(await scenario.RunOnce(run, runDir));
        if (!keep)
            foreach (var data in Directory.GetDirectories(runDir, "data", SearchOption.AllDirectories)) Directory.Delete(data, recursive: true);
    }
}
finally
{
    (scenario as IDisposable)?.Dispose();
}

var median = BenchReport.Median(results);
Console.WriteLine();
Console.WriteLine($"{scenario.Name}: {scenario.What}");
Console.WriteLine($"machine: {Machine.OneLine(machine)} (a shared machine: figures are noisy)");
Console.WriteLine($"quoted: {(runs > 1 ? $"median of {runs} runs" : "a single run")}; host logs under {root}");
Console.WriteLine(BenchReport.Table(scenario, results, median));
Console.WriteLine("BENCH " + BenchReport.Json(scenario, options.Effective, options.HostArgs, machine, results, median));
return 0;
