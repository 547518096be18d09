using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Feeds;
using Streams.Feeds.Model;

namespace Streams.Host.Demo;

/// <summary>
/// The real recordings of the demo loop, converted by the feed importers: the Elbe at Dresden in the August 2002 flood
/// against Saxony's alarm levels (in the repo), and, when the shared data is at hand, a week of Trier's car parks.
/// Subjects get a <c>loop-</c> id prefix and a name saying what they replay, so a user's own `streams replay` of the
/// same gauge is never mistaken for (or made a duplicate by) the demo.
/// </summary>
public sealed record RealRecordings(string What, IReadOnlyList<RegistryEntry> Registry, IReadOnlyList<Reading> Readings, int Rejected)
{
    public const string IdPrefix = "loop-";
    private const string Dresden = "14612000";
    private const string Trier = "07211000";

    public static IReadOnlyList<RealRecordings> Load(RealDataDemoOptions options, ILogger logger)
    {
        var recordings = new List<RealRecordings>();
        var data = Path.Combine(AppContext.BaseDirectory, "Demo", "Data");

        Add("Elbe at Dresden, flood of August 2002, Saxony's Alarmstufen", "pegelonline", [Path.Combine(data, "wsv_daily_minmax_dresden_2002_2013_floods.csv")],
            new FeedFormats.Inputs { StagesPath = Path.Combine(data, "sachsen_alarmstufen_dresden.csv"), Municipality = Dresden }, "Dresden",
            new DateTimeOffset(2002, 7, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2002, 9, 15, 0, 0, 0, TimeSpan.Zero));

        if (options.SharedDataDir is { Length: > 0 } shared)
        {
            var trier = Path.Combine(shared, "parking", "parking_trier_2021-07-12_to_18_changes.csv");
            var meta = Path.Combine(shared, "parking", "parking_meta_bielefeld_paderborn_trier.csv");
            if (File.Exists(trier) && File.Exists(meta))
            {
                Add("Trier car parks, 12-18 July 2021", "parking-csv", [trier], new FeedFormats.Inputs { ParkingMetaPath = meta, Municipality = Trier }, "Trier",
                    DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            }
            else logger.LogWarning("Real-data demo: no Trier parking recording under {Dir}", shared);
        }
        return recordings;

        void Add(string what, string format, string[] paths, FeedFormats.Inputs inputs, string town, DateTimeOffset from, DateTimeOffset to)
        {
            var batch = FeedFormats.Import(format, paths, inputs);
            // Only subjects the importer could register: a reading of an unregistered one would only be a dead letter.
            var registered = batch.Registry.OfType<SensorEntry>().Select(e => e.Id).ToHashSet();
            var selected = batch.Readings.Where(r => r.ObservedAt >= from && r.ObservedAt < to && registered.Contains(r.SubjectId)).OrderBy(r => r.ObservedAt).ToList();
            var subjects = selected.Select(r => r.SubjectId).ToHashSet();
            var registry = new List<RegistryEntry> { new MunicipalityEntry(inputs.Municipality!, town, null) };
            registry.AddRange(batch.Registry.OfType<SensorEntry>().Where(e => subjects.Contains(e.Id)).Select(e => Renamed(e, what)));
            if (selected.Count > 0) recordings.Add(new RealRecordings(what, registry, selected.Select(Renamed).ToList(), batch.Rejects.Count));
        }
    }

    private static RegistryEntry Renamed(SensorEntry entry, string what) => entry switch
    {
        PegelEntry p => p with { Id = IdPrefix + p.Id, Name = $"{p.Name} (replay: {what})" },
        ParkingEntry p => p with { Id = IdPrefix + p.Id, Name = $"{p.Name ?? p.Id} (replay: {what})" },
        _ => entry,
    };

    private static Reading Renamed(Reading reading) => reading switch
    {
        PegelReading p => p with { StationId = IdPrefix + p.StationId },
        ParkingReading p => p with { FacilityId = IdPrefix + p.FacilityId },
        _ => reading,
    };
}
