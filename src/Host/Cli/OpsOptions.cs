using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Streams.Host.Cli;

/// <summary>
/// The switches every ops verb shares (<c>--node</c>, <c>--token</c>, <c>--json</c>, <c>--timeout</c>), and running one
/// admin request: JSON for scripts, a rendering for people, errors on stderr, and the exit code.
/// </summary>
public sealed class OpsOptions
{
    public const string TokenVariable = "STREAMS_ADMIN_TOKEN";
    public const string NodeVariable = "STREAMS_NODE";

    public Option<string> Node { get; } = new("--node")
    {
        Description = $"The node's HTTP address (default: ${NodeVariable} or http://127.0.0.1:5080)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(NodeVariable) ?? "http://127.0.0.1:5080",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The admin token (default: ${TokenVariable}; prefer the variable, the command line is visible in ps)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the node's JSON answer (for scripts)", Recursive = true };

    public Option<int> TimeoutSeconds { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the node",
        Recursive = true,
        DefaultValueFactory = _ => 15,
    };

    /// <summary>A verb group with the shared switches attached (they apply to every verb below it).</summary>
    public Command Group(string name, string description)
    {
        var group = new Command(name, description);
        group.Options.Add(Node);
        group.Options.Add(Token);
        group.Options.Add(Json);
        group.Options.Add(TimeoutSeconds);
        return group;
    }

    public async Task<int> RunAsync(ParseResult parse, HttpMethod method, string path, object? body, Action<JsonElement> render, CancellationToken ct)
    {
        var nodeText = parse.GetValue(Node)!;
        if (!Uri.TryCreate(nodeText, UriKind.Absolute, out var node) || node.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"streams: --node must be an http(s) URL, not '{nodeText}'");
            return OpsExitCodes.Failed;
        }
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(TokenVariable);
        var call = new AdminCall(node, token, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(TimeoutSeconds))));
        var outcome = await call.SendAsync(method, path, body, ct);
        if (outcome.ExitCode != OpsExitCodes.Ok)
        {
            await Console.Error.WriteLineAsync($"streams: {outcome.Error}");
            return outcome.ExitCode;
        }
        // Piped output: no terminal width to fit, so do not wrap table cells at 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 240;
        if (parse.GetValue(Json)) Console.WriteLine(JsonSerializer.Serialize(outcome.Body, AdminCall.Json));
        else render(outcome.Body);
        return OpsExitCodes.Ok;
    }

    public static T Read<T>(JsonElement body) => body.Deserialize<T>(AdminCall.Json)
        ?? throw new InvalidOperationException($"the node answered null for {typeof(T).Name}");

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns) table.AddColumn(c);
        return table;
    }

    public static string Escape(object? value) => Markup.Escape(value?.ToString() ?? "");
}
