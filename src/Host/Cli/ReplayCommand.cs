using System.CommandLine;
using Streams.Feeds;

namespace Streams.Host.Cli;

/// <summary>`streams replay &lt;format&gt; &lt;path…&gt;`: convert a public feed and write it to the contract topics.</summary>
internal static class ReplayCommand
{
    public static Command Build()
    {
        var formats = string.Join("\n", FeedFormats.All.Select(f => $"  {f.Name,-12} {f.Description}"));
        var format = new Argument<string>("format") { Description = "the source format:\n" + formats };
        format.AcceptOnlyFromAmong(FeedFormats.All.Select(f => f.Name).ToArray());
        var paths = new Argument<string[]>("path") { Description = "source files (or a GTFS folder)", Arity = ArgumentArity.OneOrMore };

        var speed = new Option<string>("--speed") { Description = "max, or event time N times faster than real time, e.g. 60x", DefaultValueFactory = _ => "max" };
        var from = new Option<string?>("--from") { Description = "only readings at or after this time (ISO 8601; a date is midnight UTC)" };
        var to = new Option<string?>("--to") { Description = "only readings before this time" };
        var kafka = new Option<string?>("--kafka") { Description = "bootstrap servers host:port; default: the embedded Kafka of the node at --node, else Streams:Kafka:BootstrapServers" };
        var node = new Option<string>("--node") { Description = "a running node's HTTP address, asked for its Kafka", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var registryOnly = new Option<bool>("--registry-only") { Description = "write only the registry entries" };
        var dryRun = new Option<bool>("--dry-run") { Description = "convert and report; write nothing" };
        var report = new Option<bool>("--report") { Description = "after the run, print the alerts the replay produced per subject and rule (backtest)" };
        var settle = new Option<int>("--settle") { Description = "with --report: seconds without new alerts before reporting", DefaultValueFactory = _ => 15 };
        var noProgress = new Option<bool>("--no-progress") { Description = "no progress bar (plain progress lines only)" };
        var stages = new Option<string?>("--stages") { Description = "pegel: warning stages per station (CSV or JSON, e.g. NRW information levels)" };
        var fallback = new Option<string?>("--stages-fallback") { Description = "pegel: characteristic values used as stages where --stages has none, e.g. MHW,HHW" };
        var station = new Option<string?>("--station") { Description = "pegel: the station uuid of a measurements/timeseries file" };
        var municipality = new Option<string?>("--municipality") { Description = "the AGS every subject belongs to" };
        var boundaries = new Option<string?>("--boundaries") { Description = "GeoJSON municipality boundaries (AGS in properties): registry entries, and placement by coordinates" };
        var meta = new Option<string?>("--meta") { Description = "parking-csv: places metadata (place_id, num_all, place_name, latitude, longitude)" };
        var gtfs = new Option<string?>("--gtfs") { Description = "gtfs-rt: the GTFS static feed (zip or folder) for route names" };

        var command = new Command("replay", "Convert a public feed (PEGELONLINE, ParkAPI, GTFS-Realtime, …) into contract records and write them " +
            "to the contract topics in event-time order. Re-running is idempotent: the same readings are duplicates for Streams.");
        command.Arguments.Add(format);
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { speed, from, to, kafka, node, registryOnly, dryRun, report, settle, noProgress, stages, fallback, station, municipality, boundaries, meta, gtfs })
            command.Options.Add(o);

        command.SetAction(async (parse, cancel) =>
        {
            if (!ReplaySpeed.TryParse(parse.GetValue(speed)!, out var factor)) return Fail($"--speed: expected max or e.g. 60x, got {parse.GetValue(speed)}");
            DateTimeOffset? fromTime = null, toTime = null;
            if (parse.GetValue(from) is { } f) { if (!ReplaySpeed.TryParseTime(f, out var t)) return Fail($"--from: not a time: {f}"); fromTime = t; }
            if (parse.GetValue(to) is { } u) { if (!ReplaySpeed.TryParseTime(u, out var t)) return Fail($"--to: not a time: {u}"); toTime = t; }
            var settings = new ReplaySettings
            {
                Format = parse.GetValue(format)!,
                Paths = parse.GetValue(paths)!,
                Inputs = new FeedFormats.Inputs
                {
                    StagesPath = parse.GetValue(stages),
                    StageFallback = parse.GetValue(fallback)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                    StationId = parse.GetValue(station),
                    Municipality = parse.GetValue(municipality),
                    BoundariesPath = parse.GetValue(boundaries),
                    ParkingMetaPath = parse.GetValue(meta),
                    GtfsStaticPath = parse.GetValue(gtfs),
                },
                Speed = factor,
                From = fromTime,
                To = toTime,
                Kafka = parse.GetValue(kafka),
                NodeUrl = parse.GetValue(node)!,
                RegistryOnly = parse.GetValue(registryOnly),
                DryRun = parse.GetValue(dryRun),
                Report = parse.GetValue(report),
                Settle = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(settle))),
                Progress = !parse.GetValue(noProgress),
            };
            return await ReplayRunner.RunAsync(settings, Console.Out, cancel);
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"streams replay: {message}");
        return 1;
    }
}
