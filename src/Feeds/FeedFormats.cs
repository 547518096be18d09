using Streams.Feeds.Model;
using Streams.Feeds.Parking;
using Streams.Feeds.Pegel;
using Streams.Feeds.Transit;

namespace Streams.Feeds;

/// <summary>The public formats Streams imports, by the name the <c>replay</c> verb takes.</summary>
public static class FeedFormats
{
    public sealed record Format(string Name, string Description);

    public static readonly IReadOnlyList<Format> All =
    [
        new("pegelonline", "PEGELONLINE REST API v2 JSON (stations, W timeseries, W/measurements, 15-min archive) and the daily min/max CSV archive; stages from --stages"),
        new("parkapi", "ParkAPI/ParkenDD city JSON (last_updated, lots[])"),
        new("parking-csv", "free spaces per place over time (timestamp_utc,place_id,free_spaces) with --meta for capacity and names"),
        new("gtfs-rt", "GTFS-Realtime VehiclePositions and TripUpdates (.pb), with --gtfs static feed for routes"),
    ];

    /// <summary>Files that go with the sources: boundaries, stages, parking metadata, GTFS static.</summary>
    public sealed record Inputs
    {
        public string? BoundariesPath { get; init; }
        public string? StagesPath { get; init; }
        public string? ParkingMetaPath { get; init; }
        public string? GtfsStaticPath { get; init; }
        public string? Municipality { get; init; }
        public string? StationId { get; init; }
        public IReadOnlyList<string> StageFallback { get; init; } = [];
    }

    /// <summary>Converts the files; every record that could not be converted is in the batch's rejects.</summary>
    /// <exception cref="ArgumentException">Unknown format, or a required side file is missing.</exception>
    public static FeedBatch Import(string format, IReadOnlyList<string> paths, Inputs inputs, FeedBatch? into = null)
    {
        var batch = into ?? new FeedBatch();
        var options = new ImportOptions
        {
            Municipality = inputs.Municipality,
            StationId = inputs.StationId,
            StageFallback = inputs.StageFallback,
            Boundaries = inputs.BoundariesPath is { } b ? Geo.MunicipalityBoundaries.Load(b, batch) : null,
            Stages = inputs.StagesPath is { } s ? StageTable.Load(s, batch) : null,
        };
        foreach (var path in paths.Where(p => !File.Exists(p) && !Directory.Exists(p)))
            throw new ArgumentException($"no such file: {path}");
        switch (format)
        {
            case "pegelonline":
                foreach (var path in paths)
                    if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) WsvDailyCsvImporter.Import(path, options, batch);
                    else PegelOnlineImporter.Import(path, options, batch);
                break;
            case "parkapi":
                foreach (var path in paths) ParkApiImporter.Import(path, options, batch);
                break;
            case "parking-csv":
                var meta = inputs.ParkingMetaPath is { } m
                    ? ParkingChangesCsvImporter.LoadMeta(m, batch)
                    : throw new ArgumentException("parking-csv needs --meta <places.csv> (capacity and names)");
                foreach (var path in paths) ParkingChangesCsvImporter.Import(path, meta, options, batch);
                break;
            case "gtfs-rt":
                var gtfs = inputs.GtfsStaticPath is { } g ? GtfsStatic.Load(g, batch) : null;
                GtfsRealtimeImporter.Import(paths, gtfs, options, batch);
                break;
            default:
                throw new ArgumentException($"unknown format \"{format}\"; formats: {string.Join(", ", All.Select(f => f.Name))}");
        }
        return batch;
    }
}
