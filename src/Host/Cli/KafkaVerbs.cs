using System.CommandLine;
using Spectre.Console;
using Streams.Host.Admin;
using static Streams.Host.Cli.OpsOptions;

namespace Streams.Host.Cli;

/// <summary><c>streams kafka lag|topics|topics create</c>.</summary>
public static class KafkaVerbs
{
    public static Command Build()
    {
        var ops = new OpsOptions();
        var kafka = ops.Group("kafka", "The readings consumer group and the contract topics");

        var lag = new Command("lag", "Per partition: committed offset, end offset, lag and the node that owns it");
        lag.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/kafka/lag", null, body =>
        {
            var rows = Read<List<PartitionLag>>(body);
            var table = Table("topic", "partition", "committed", "end", "lag", "owner");
            foreach (var r in rows)
                table.AddRow(Escape(r.Topic), r.Partition.ToString(), r.Committed?.ToString() ?? "-", r.End.ToString(), r.Lag?.ToString() ?? "-", Escape(r.Owner ?? "unassigned"));
            AnsiConsole.Write(table);
            Console.WriteLine($"total lag: {rows.Sum(r => r.Lag ?? 0)}");
        }, ct));
        kafka.Subcommands.Add(lag);

        var topics = new Command("topics", "The contract topics: partitions, replicas and non-default configs");
        topics.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Get, "/admin/kafka/topics", null, body =>
        {
            var rows = Read<List<TopicInfo>>(body);
            var table = Table("topic", "exists", "partitions", "replicas", "configs");
            foreach (var t in rows)
                table.AddRow(Escape(t.Name), t.Exists ? "yes" : "[red]NO[/]", t.Partitions.ToString(), t.ReplicationFactor.ToString(),
                    Escape(t.ConfigsError ?? string.Join(", ", t.Configs.Select(c => $"{c.Key}={c.Value}"))));
            AnsiConsole.Write(table);
        }, ct));

        var create = new Command("create", "Create the missing contract topics (partitions, replicas and compaction from the node's configuration)");
        create.SetAction((p, ct) => ops.RunAsync(p, HttpMethod.Post, "/admin/kafka/topics", new { }, body =>
        {
            var r = Read<TopicCreation>(body);
            Console.WriteLine($"created: {List(r.Created)}; already there: {List(r.AlreadyThere)}");
        }, ct));
        topics.Subcommands.Add(create);
        kafka.Subcommands.Add(topics);
        return kafka;
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
