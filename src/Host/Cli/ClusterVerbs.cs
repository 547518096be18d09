using System.CommandLine;
using Spectre.Console;
using Streams.Host.Admin;
using static Streams.Host.Cli.OpsOptions;

namespace Streams.Host.Cli;

/// <summary><c>streams cluster show|status|leader|leave|down|down-unreachable</c>.</summary>
public static class ClusterVerbs
{
    public static Command Build()
    {
        var ops = new OpsOptions();
        var cluster = ops.Group("cluster", "Cluster membership: see members, make a node leave, down a node");

        var show = new Command("show", "Every member with its status, roles and reachability");
        show.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/cluster", null, body =>
        {
            var view = Read<ClusterView>(body);
            var table = Table("address", "status", "reachable", "leader", "self", "roles");
            foreach (var m in view.Members)
                table.AddRow(Escape(m.Address), Escape(m.Status), m.Reachable ? "yes" : "[red]NO[/]", m.IsLeader ? "*" : "", m.IsSelf ? "*" : "", Escape(string.Join(",", m.Roles)));
            AnsiConsole.Write(table);
        }, ct));

        var status = new Command("status", "This node's member status and the cluster's counts");
        status.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/cluster/status", null, body =>
        {
            var s = Read<ClusterStatus>(body);
            AnsiConsole.MarkupLine($"self {Escape(s.Self)}: {Escape(s.SelfStatus)}; leader {Escape(s.Leader ?? "none")}; members {s.Members} (up {s.Up}, unreachable {s.Unreachable})");
        }, ct));

        var leader = new Command("leader", "The current leader's address");
        leader.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/cluster/leader", null,
            body => Console.WriteLine(body.GetProperty("leader").GetString()), ct));

        cluster.Subcommands.Add(show);
        cluster.Subcommands.Add(status);
        cluster.Subcommands.Add(leader);
        cluster.Subcommands.Add(MemberAction(ops, "leave", "Make a member leave gracefully (its shards and partitions hand over)"));
        cluster.Subcommands.Add(MemberAction(ops, "down", "Mark a member down (use for a node that is gone for good)"));

        var downUnreachable = new Command("down-unreachable", "Down every member the cluster sees as unreachable");
        downUnreachable.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Post, "/admin/cluster/down-unreachable", new { }, body =>
        {
            var r = Read<ClusterActionResult>(body);
            Console.WriteLine(r.Addresses.Count == 0 ? "no unreachable members" : "downed: " + string.Join(", ", r.Addresses));
        }, ct));
        cluster.Subcommands.Add(downUnreachable);
        return cluster;
    }

    private static Command MemberAction(OpsOptions ops, string action, string description)
    {
        var address = new Argument<string>("address") { Description = "The member's address, e.g. akka.tcp://streams@10.0.0.5:4053, or self (the node --node points at)" };
        var command = new Command(action, description) { address };
        command.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Post, $"/admin/cluster/{action}", new ClusterActionRequest(p.GetValue(address)!),
            body => Console.WriteLine($"{action}: {string.Join(", ", Read<ClusterActionResult>(body).Addresses)}"), ct));
        return command;
    }
}
