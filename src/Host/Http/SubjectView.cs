using System.Text.Json;
using Streams.Actors.Entities;
using Streams.Actors.Rules;
using Streams.Contracts;
using Streams.Contracts.Registry;
using Streams.Host.Dashboard;

namespace Streams.Host.Http;

/// <summary>
/// One subject's live state as the read API and the live stream show it: built from the entity's answer
/// (<see cref="SensorDetail"/>); the open alerts are the entity's open episodes, described (severity, message) by
/// their latest event on the alerts topic when it is still remembered.
/// </summary>
public sealed record SubjectView(
    string Subject,
    string Kind,
    string Id,
    string? Name,
    string? Municipality,
    bool Registered,
    double? Lat,
    double? Lon,
    DateTimeOffset? LastObservedAt,
    DateTimeOffset? LastAppliedAt,
    bool Stale,
    PegelView? Pegel,
    ParkingView? Parking,
    BusView? Bus,
    IReadOnlyList<OpenAlertView> OpenAlerts,
    int PendingAlerts,
    SensorState State)
{
    public static SubjectView From(SensorDetail detail, bool registered, OutputsFeed feed)
    {
        var state = detail.State;
        var entry = detail.Entry;
        var (lat, lon) = entry switch
        {
            PegelEntry p => (p.Lat, p.Lon),
            ParkingEntry p => (p.Lat, p.Lon),
            _ => (state.Bus?.Lat, state.Bus?.Lon),
        };
        var kind = state.Kind;
        var id = detail.Subject[(detail.Subject.IndexOf('/') + 1)..];
        return new SubjectView(
            detail.Subject,
            kind.ToWire(),
            id,
            entry?.Name,
            entry?.Municipality,
            registered,
            lat,
            lon,
            state.LastObservedAt,
            state.LastAppliedWallClock,
            state.IsStale,
            PegelView.From(entry as PegelEntry, state.Pegel),
            ParkingView.From(state.Parking),
            BusView.From(entry as BusEntry, state.Bus),
            OpenAlertsOf(detail.Subject, state, feed),
            detail.PendingAlerts,
            state);
    }

    private static List<OpenAlertView> OpenAlertsOf(string subject, SensorState state, OutputsFeed feed) =>
        state.OpenEpisodes
            .Select(e => OpenAlertView.From(subject, e.Key, e.Value, feed.LatestAlert(subject, e.Key)))
            .OrderByDescending(a => a.Since)
            .ToList();
}

/// <param name="RecentReadings">What the gauge keeps: the readings of the last 60 minutes of event time (its rise window).</param>
public sealed record PegelView(string? Water, double? LevelCm, int Stage, IReadOnlyList<double> StagesCm, double? TrendCmPerHour,
    IReadOnlyList<LevelSample> RecentReadings)
{
    public static PegelView? From(PegelEntry? entry, PegelLive? live) => live is null && entry is null
        ? null
        : new PegelView(entry?.Water, live?.LevelCm, live?.Stage ?? 0, entry?.StagesCm ?? live?.StagesCm ?? [],
            live?.TrendCmPerHour, live?.Window ?? []);
}

public sealed record ParkingView(int Capacity, int Occupied, int Free, double OccupancyPercent)
{
    public static ParkingView? From(ParkingLive? live) =>
        live is null ? null : new ParkingView(live.Capacity, live.Occupied, live.Free, live.OccupancyPercent);
}

public sealed record BusView(int? DelaySeconds, int? DelayAlertSeconds, string? RouteId, string? TripId)
{
    public static BusView? From(BusEntry? entry, BusLive? live) => live is null && entry is null
        ? null
        : new BusView(live?.DelaySeconds, entry?.DelayAlertSeconds, live?.RouteId, live?.TripId);
}

/// <param name="Since">The episode's start (<c>episodeStartedAt</c>).</param>
/// <param name="Severity">From the episode's <c>raised</c> event on the alerts topic; null when it is no longer remembered.</param>
public sealed record OpenAlertView(string Subject, string Rule, DateTimeOffset Since, string? Severity, string? Message, double? Value, string? Id)
{
    public static OpenAlertView From(string subject, string rule, DateTimeOffset since, JsonElement? latest)
    {
        // The latest event describes this episode only if it is its raised event (same start); else leave it undescribed.
        if (latest is { } e && e.TryGetProperty("data", out var data)
            && data.TryGetProperty("episodeStartedAt", out var started) && started.TryGetDateTimeOffset(out var s) && s == since
            && data.TryGetProperty("state", out var st) && st.GetString() == "raised")
        {
            return new OpenAlertView(subject, rule, since, Str(data, "severity"), Str(data, "message"),
                data.TryGetProperty("value", out var v) && v.TryGetDouble(out var d) ? d : null, Str(e, "id"));
        }
        return new OpenAlertView(subject, rule, since, null, null, null, null);
    }

    private static string? Str(JsonElement e, string p) => e.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
