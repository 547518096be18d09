using System.Globalization;

namespace Streams.Bench.Cli;

/// <summary>
/// <c>&lt;scenario&gt; [--name value | --name=value]... [--host-arg X]...</c>. Every option read is remembered with the
/// value it had (given or default), so the report states exactly what was run.
/// </summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> _given;
    private readonly SortedDictionary<string, string> _effective = new(StringComparer.Ordinal);

    private BenchOptions(string scenario, Dictionary<string, string> given, List<string> hostArgs)
    {
        Scenario = scenario;
        _given = given;
        HostArgs = hostArgs;
    }

    public string Scenario { get; }

    /// <summary>Extra host settings (<c>--host-arg --Streams:Pipeline:Parallelism=64</c>, repeatable, and STREAMS_BENCH_HOST_ARGS).</summary>
    public IReadOnlyList<string> HostArgs { get; }

    public IReadOnlyDictionary<string, string> Effective => _effective;

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new UsageException("name a scenario first");
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument '{arg}'");
            string name, value;
            var eq = arg.IndexOf('=');
            if (eq > 0)
                (name, value) = (arg[2..eq], arg[(eq + 1)..]);
            else if (i + 1 < args.Length && (arg == "--host-arg" || !args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                (name, value) = (arg[2..], args[++i]);
            else
                (name, value) = (arg[2..], "true");
            if (name == "host-arg") hostArgs.Add(value);
            else given[name] = value;
        }
        hostArgs.AddRange((Environment.GetEnvironmentVariable("STREAMS_BENCH_HOST_ARGS") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return new BenchOptions(args[0], given, hostArgs);
    }

    public int Int(string name, int defaultValue) => (int)Long(name, defaultValue);

    public long Long(string name, long defaultValue) =>
        Remember(name, Read(name, defaultValue, s => long.Parse(s.Replace("_", "").Replace(",", ""), CultureInfo.InvariantCulture)));

    public double Double(string name, double defaultValue) =>
        Remember(name, Read(name, defaultValue, s => double.Parse(s, CultureInfo.InvariantCulture)));

    public string String(string name, string defaultValue) => Remember(name, Read(name, defaultValue, s => s));

    public bool Flag(string name) => Remember(name, Read(name, false, bool.Parse));

    /// <summary>A comma-separated list of whole numbers, e.g. <c>--scales 10000,100000</c>.</summary>
    public IReadOnlyList<int> Ints(string name, string defaultValue) =>
        String(name, defaultValue).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.Replace("_", ""), CultureInfo.InvariantCulture)).ToList();

    /// <summary>Options given on the command line that no scenario read: a typo, most likely.</summary>
    public IEnumerable<string> Unused => _given.Keys.Where(k => !_effective.ContainsKey(k));

    private T Read<T>(string name, T defaultValue, Func<string, T> parse)
    {
        if (!_given.TryGetValue(name, out var text)) return defaultValue;
        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            throw new UsageException($"--{name}: cannot read '{text}'");
        }
    }

    private T Remember<T>(string name, T value)
    {
        _effective[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return value;
    }
}

public sealed class UsageException(string message) : Exception(message);
