using System.Text.Json;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;
using Streams.Host.Dashboard;

namespace Streams.Host.Http;

/// <summary>
/// The public, read-only API: municipalities, their subjects, sensors, alerts. Live state comes from the entities
/// (<see cref="LiveQueries"/>), alert history from the alerts topic (<see cref="OutputsFeed"/>). Unknown ids are
/// 404 without touching sharding, bad parameters 400, an entity that does not answer in time 503.
/// </summary>
public static class ReadApi
{
    private const int DefaultHistory = 100;
    private const int MaxHistory = 1000;

    public static WebApplication MapReadApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("live");

        api.MapGet("/municipalities", async (LiveQueries q, RegistryLookup registry, CancellationToken ct) =>
            await Live(async () =>
            {
                var list = await Task.WhenAll(q.KnownMunicipalities().Select(async id =>
                {
                    var m = await q.Municipality(id, ct);
                    return new MunicipalityListItem(id, registry.NameOf(id), m is null ? null : Counts.From(m.Aggregate));
                }));
                return Results.Ok(list);
            }))
            .WithSummary("Known municipalities (registry) with live counts from their entities");

        api.MapGet("/municipalities/{ags}", async (string ags, LiveQueries q, CancellationToken ct) =>
            await Live(async () => await q.Municipality(ags, ct) is { } m
                ? Results.Bytes(ContractJson.Serialize(m.Aggregate), "application/json")
                : UnknownMunicipality(ags)))
            .WithSummary("The municipality's live aggregate, as on streams.aggregates");

        api.MapGet("/municipalities/{ags}/boundary", (string ags, LiveQueries q, RegistryLookup registry) =>
                q.IsKnownMunicipality(ags) ? Results.Ok(registry.BoundaryFeature(ags)) : UnknownMunicipality(ags))
            .WithSummary("The municipality's boundary from its registry entry, as a GeoJSON Feature (geometry null when none)");

        api.MapGet("/municipalities/{ags}/sensors", async (string ags, string? kind, LiveQueries q, OutputsFeed feed, RegistryLookup registry,
                CancellationToken ct) =>
            {
                SubjectKind? only = null;
                if (kind is not null)
                {
                    if (!IsSensorKind(kind, out var k)) return BadKind(kind);
                    only = k;
                }
                return await Live(async () =>
                {
                    if (await q.Municipality(ags, ct) is not { } m) return UnknownMunicipality(ags);
                    var subjects = m.Subjects.Where(s => only is null || s.Kind == only).ToList();
                    var details = await Task.WhenAll(subjects.Select(s => q.AskSensor(s.Kind, s.SensorId, ct)));
                    var views = details.Select(d => SubjectView.From(d, registry.IsRegistered(d.Subject), feed))
                        .OrderBy(v => v.Kind, StringComparer.Ordinal).ThenBy(v => v.Name ?? v.Id, StringComparer.Ordinal).ToList();
                    return Results.Ok(new { municipality = ags, subjects = views });
                });
            })
            .WithSummary("Live state of each subject the municipality counts: value, stage/occupancy/delay, open alerts, last reading, stale");

        api.MapGet("/sensors/{kind}/{id}", async (string kind, string id, LiveQueries q, OutputsFeed feed, RegistryLookup registry,
                CancellationToken ct) =>
            {
                if (!IsSensorKind(kind, out var k)) return BadKind(kind);
                return await Live(async () => await q.Sensor(k, id, ct) is { } detail
                    ? Results.Ok(SubjectView.From(detail, registry.IsRegistered(detail.Subject), feed))
                    : Results.NotFound(new { error = $"no {kind} '{id}' in the registry or in any municipality" }));
            })
            .WithSummary("A sensor's live state, the recent readings it keeps and its open alerts");

        api.MapGet("/alerts", async (string? open, string? municipality, string? rule, int? limit, LiveQueries q, OutputsFeed feed,
                CancellationToken ct) =>
            {
                var onlyOpen = false;
                if (open is not null && !bool.TryParse(open, out onlyOpen)) return Bad($"open must be true or false, not '{open}'");
                if (rule is not null && !KnownRules.Contains(rule)) return Bad($"rule must be one of {string.Join(", ", KnownRules)}, not '{rule}'");
                if (limit is < 1 or > MaxHistory) return Bad($"limit must be 1 to {MaxHistory}");
                if (municipality is not null && !q.IsKnownMunicipality(municipality)) return UnknownMunicipality(municipality);
                if (!onlyOpen) return Results.Ok(History(feed, municipality, rule, limit ?? DefaultHistory));
                return await Live(async () => Results.Ok(await OpenAlerts(q, feed, municipality, rule, ct)));
            })
            .WithSummary("open=true: open alerts from the entities' live state; else recent alert events from streams.alerts, newest first");

        return app;
    }

    private static readonly string[] KnownRules =
    [
        "pegel.stage1", "pegel.stage2", "pegel.stage3", "pegel.stage4", AlertRules.PegelRapidRise,
        AlertRules.ParkingAlmostFull, AlertRules.ParkingFull, AlertRules.BusDelayed, AlertRules.SensorStale,
    ];

    private static async Task<List<OpenAlertView>> OpenAlerts(LiveQueries q, OutputsFeed feed, string? municipality, string? rule, CancellationToken ct)
    {
        var ids = municipality is null ? q.KnownMunicipalities() : [municipality];
        var municipalities = await Task.WhenAll(ids.Select(id => q.Municipality(id, ct)));
        var withAlerts = municipalities.OfType<Actors.Entities.MunicipalitySubjects>()
            .SelectMany(m => m.Subjects).Where(s => s.OpenAlerts > 0).ToList();
        var details = await Task.WhenAll(withAlerts.Select(s => q.AskSensor(s.Kind, s.SensorId, ct)));
        return details
            .SelectMany(d => SubjectView.From(d, registered: true, feed).OpenAlerts)
            .Where(a => rule is null || a.Rule == rule)
            .OrderByDescending(a => a.Since)
            .ToList();
    }

    private static List<JsonElement> History(OutputsFeed feed, string? municipality, string? rule, int limit) =>
        feed.Alerts
            .Where(a => a.TryGetProperty("data", out var d)
                && (municipality is null || (d.TryGetProperty("municipality", out var m) && m.GetString() == municipality))
                && (rule is null || (d.TryGetProperty("rule", out var r) && r.GetString() == rule)))
            .Take(limit)
            .ToList();

    /// <summary>Runs a query of live state; an entity that does not answer in time (e.g. its journal is down) is a 503.</summary>
    private static async Task<IResult> Live(Func<Task<IResult>> query)
    {
        try
        {
            return await query();
        }
        catch (Exception ex) when (ex is Akka.Actor.AskTimeoutException or TaskCanceledException)
        {
            return Results.Json(new { error = $"the entities did not answer within {LiveQueries.AskTimeout.TotalSeconds:0} s" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static bool IsSensorKind(string kind, out SubjectKind k) => SubjectKinds.TryParse(kind, out k) && k != SubjectKind.Municipality;

    private static IResult BadKind(string kind) => Bad($"kind must be pegel, parking or bus, not '{kind}'");

    private static IResult Bad(string error) => Results.BadRequest(new { error });

    private static IResult UnknownMunicipality(string ags) => Results.NotFound(new { error = $"no municipality '{ags}' in the registry" });
}

public sealed record MunicipalityListItem(string Id, string? Name, Counts? Live);

/// <summary>The headline figures of a municipality's aggregate.</summary>
public sealed record Counts(int Stations, int MaxStage, int Facilities, long Free, long Capacity, int Vehicles, int Delayed, int Stale, int OpenAlerts)
{
    public static Counts From(MunicipalityAggregate a) => new(a.Pegel.Stations, a.Pegel.MaxStage, a.Parking.Facilities, a.Parking.Free,
        a.Parking.Capacity, a.Bus.Vehicles, a.Bus.Delayed, a.Pegel.Stale + a.Parking.Stale + a.Bus.Stale, a.OpenAlerts);
}
