using System.CommandLine;
using Spectre.Console;
using Streams.Contracts.Outputs;
using static Streams.Host.Cli.OpsOptions;

namespace Streams.Host.Cli;

/// <summary><c>streams alerts tail [--municipality]</c> and <c>streams deadletters tail [--reason]</c>: the latest records of those topics.</summary>
public static class TailVerbs
{
    public static Command Alerts()
    {
        var ops = new OpsOptions();
        var group = ops.Group("alerts", "The alerts topic");
        var municipality = new Option<string?>("--municipality") { Description = "Only this municipality (AGS)" };
        var limit = Limit();
        var tail = new Command("tail", "The latest alerts, oldest first") { municipality, limit };
        tail.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, Query("/admin/alerts", ("municipality", p.GetValue(municipality)), ("limit", p.GetValue(limit).ToString())), null, body =>
        {
            var table = Table("time", "state", "rule", "severity", "subject", "municipality", "message");
            foreach (var a in Read<List<AlertEvent>>(body))
                table.AddRow(a.Time.ToString("u"), Escape(a.Data.State), Escape(a.Data.Rule), Escape(a.Data.Severity), Escape(a.Subject), Escape(a.Data.Municipality), Escape(a.Data.Message));
            AnsiConsole.Write(table);
        }, ct));
        group.Subcommands.Add(tail);
        return group;
    }

    public static Command DeadLetters()
    {
        var ops = new OpsOptions();
        var group = ops.Group("deadletters", "The dead-letter topic");
        var reason = new Option<string?>("--reason") { Description = $"Only this reason ({string.Join(", ", DeadLetterReasons.All)})" };
        var limit = Limit();
        var tail = new Command("tail", "The latest dead letters, oldest first") { reason, limit };
        tail.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, Query("/admin/deadletters", ("reason", p.GetValue(reason)), ("limit", p.GetValue(limit).ToString())), null, body =>
        {
            var table = Table("received", "reason", "source", "key", "error");
            foreach (var d in Read<List<DeadLetter>>(body))
                table.AddRow(d.ReceivedAt.ToString("u"), Escape(d.Reason), Escape($"{d.SourceTopic}/{d.Partition}@{d.Offset}"), Escape(d.Key), Escape(d.Error));
            AnsiConsole.Write(table);
        }, ct));
        group.Subcommands.Add(tail);
        return group;
    }

    private static Option<int> Limit() => new("--limit") { Description = "How many (1-1000)", DefaultValueFactory = _ => 20 };

    private static string Query(string path, params (string Key, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? path : $"{path}?{string.Join('&', present)}";
    }
}
