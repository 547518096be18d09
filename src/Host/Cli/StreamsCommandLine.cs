using System.CommandLine;

namespace Streams.Host.Cli;

/// <summary>
/// The `streams` executable is both the node and its tools: `streams` alone (or with configuration switches) runs a
/// node; `streams &lt;verb&gt; …` runs a command line tool (ops verbs against a node's admin endpoint, replay of real
/// feeds) and exits with a meaningful code: 0 ok, 1 refused or failed, 2 unreachable.
/// </summary>
public static class StreamsCommandLine
{
    /// <summary>Each verb group is built in a file of its own; add yours here.</summary>
    private static IEnumerable<Command> Verbs()
    {
        yield return ClusterVerbs.Build();
        yield return ShardingVerbs.Build();
        yield return EntityVerbs.Build();
        yield return KafkaVerbs.Build();
        yield return TailVerbs.Alerts();
        yield return TailVerbs.DeadLetters();
        yield return ReplayCommand.Build();
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Streams: real-time processing of municipal sensor data. Without a verb, runs a node.");
        foreach (var verb in Verbs()) root.Subcommands.Add(verb);
        return root;
    }

    /// <summary>True when the arguments name a verb (or ask for help): run the tool, not the node.</summary>
    public static bool IsCommand(string[] args)
    {
        if (args.Length == 0) return false;
        if (args[0] is "--help" or "-h" or "-?" or "help") return true;
        return Build().Subcommands.Any(c => c.Name == args[0]);
    }

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
