using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Streams.Host.Admin;
using static Streams.Host.Cli.OpsOptions;

namespace Streams.Host.Cli;

/// <summary><c>streams entity show &lt;kind&gt;/&lt;id&gt;</c>: live state and open alerts.</summary>
public static class EntityVerbs
{
    public static Command Build()
    {
        var ops = new OpsOptions();
        var entity = ops.Group("entity", "One entity's live state");
        var subject = new Argument<string>("kind/id") { Description = "pegel/<id>, parking/<id>, bus/<id> or municipality/<AGS>" };
        var show = new Command("show", "Live state and open alerts of one sensor or municipality") { subject };
        show.SetAction(async (p, ct) =>
        {
            var text = p.GetValue(subject)!;
            var slash = text.IndexOf('/');
            if (slash <= 0 || slash == text.Length - 1)
            {
                await Console.Error.WriteLineAsync($"streams: expected <kind>/<id>, e.g. pegel/4621900000100, not '{text}'");
                return OpsExitCodes.Failed;
            }
            var path = $"/admin/entities/{Uri.EscapeDataString(text[..slash])}/{Uri.EscapeDataString(text[(slash + 1)..])}";
            return await ops.RunAsync(p, HttpMethod.Get, path, null, body =>
            {
                var view = Read<EntityView>(body);
                AnsiConsole.MarkupLine($"[bold]{Escape(view.Kind)}/{Escape(view.Id)}[/]  open alerts: {view.OpenAlerts.Count}  pending publication: {view.PendingAlerts}");
                if (view.OpenAlerts.Count > 0)
                {
                    var table = Table("rule", "since");
                    foreach (var a in view.OpenAlerts) table.AddRow(Escape(a.Rule), a.Since.ToString("u"));
                    AnsiConsole.Write(table);
                }
                Console.WriteLine(JsonSerializer.Serialize(body.GetProperty("state"), AdminCall.Json));
            }, ct);
        });
        entity.Subcommands.Add(show);
        return entity;
    }
}
