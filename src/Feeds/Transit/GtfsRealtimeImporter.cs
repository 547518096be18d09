using Google.Protobuf;
using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;
using Streams.Feeds.Model;
using Streams.Feeds.Transit.Realtime;

namespace Streams.Feeds.Transit;

/// <summary>
/// GTFS-Realtime feeds (protobuf <c>FeedMessage</c>s) → <c>bus</c> readings. <c>VehiclePosition</c> entities give the
/// positions; <c>TripUpdate</c> entities (in the same or other files of the replay) give the delay: the update's own
/// <c>delay</c>, else that of its first stop time update that has one; the latest update per trip (and per vehicle)
/// wins. A position's route comes from its trip descriptor, else from the static feed's trips. Vehicles without an
/// id, a position or a timestamp are reported, as is a file that is not a complete protobuf message.
/// </summary>
public static class GtfsRealtimeImporter
{
    private sealed record Delay(int Seconds, ulong At);

    public static void Import(IReadOnlyList<string> paths, GtfsStatic? gtfs, ImportOptions options, FeedBatch batch)
    {
        var feeds = new List<(string Source, FeedMessage Feed)>();
        foreach (var path in paths)
        {
            var source = Path.GetFileName(path);
            try
            {
                feeds.Add((source, FeedMessage.Parser.ParseFrom(File.ReadAllBytes(path))));
            }
            catch (InvalidProtocolBufferException ex)
            {
                batch.Reject(source, "file", $"not a GTFS-Realtime FeedMessage (truncated or corrupt protobuf): {ex.Message}");
            }
        }

        var byTrip = new Dictionary<string, Delay>();
        var byVehicle = new Dictionary<string, Delay>();
        foreach (var (_, feed) in feeds)
            foreach (var e in feed.Entity.Where(e => e.TripUpdate is not null && !e.IsDeleted))
            {
                var u = e.TripUpdate;
                int? seconds = u.HasDelay ? u.Delay
                    : u.StopTimeUpdate.Select(s => s.Departure is { HasDelay: true } d ? d.Delay : s.Arrival is { HasDelay: true } a ? a.Delay : (int?)null)
                        .FirstOrDefault(d => d is not null);
                if (seconds is not { } s) continue;
                var delay = new Delay(s, u.HasTimestamp ? u.Timestamp : feed.Header?.Timestamp ?? 0);
                if (u.Trip is { HasTripId: true } t) Keep(byTrip, t.TripId, delay);
                if (u.Vehicle is { HasId: true } v) Keep(byVehicle, v.Id, delay);
            }

        foreach (var (source, feed) in feeds)
        {
            var i = 0;
            foreach (var e in feed.Entity)
            {
                var position = $"entity {i++}{(e.HasId ? $" (id {e.Id})" : "")}";
                if (e.Vehicle is not { } v || e.IsDeleted) continue;
                var vehicleId = v.Vehicle is { HasId: true, Id.Length: > 0 } d ? d.Id : v.Vehicle is { HasLabel: true, Label.Length: > 0 } l ? l.Label : null;
                if (vehicleId is null) { batch.Reject(source, position, "vehicle without id or label"); continue; }
                if (v.Position is not { HasLatitude: true, HasLongitude: true } p) { batch.Reject(source, position, $"vehicle {vehicleId}: no position"); continue; }
                if (!v.HasTimestamp) { batch.Reject(source, position, $"vehicle {vehicleId}: no timestamp"); continue; }
                var tripId = v.Trip is { HasTripId: true } t ? t.TripId : null;
                var routeId = v.Trip is { HasRouteId: true } r ? r.RouteId : tripId is not null && gtfs?.RouteOfTrip.TryGetValue(tripId, out var rid) == true ? rid : null;
                var delay = (tripId is not null && byTrip.TryGetValue(tripId, out var dt) ? dt : null) ?? (byVehicle.TryGetValue(vehicleId, out var dv) ? dv : null);
                var at = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(v.Timestamp, (ulong)long.MaxValue / 1000));
                var municipality = options.MunicipalityFor(p.Latitude, p.Longitude);
                if (options.Municipality is { } m && batch.FirstAttempt(SubjectKind.Bus, vehicleId))
                    batch.AddRegistry(new BusEntry(vehicleId, m, routeId is null ? null : $"{RouteName(gtfs, routeId)} vehicle {vehicleId}",
                        BusEntry.DefaultDelayAlertSeconds, BusEntry.DefaultDelayClearSeconds, BusEntry.DefaultExpectedIntervalSeconds), source, position);
                batch.AddReading(new BusPosition(vehicleId, at, Math.Round(p.Latitude, 6), Math.Round(p.Longitude, 6), routeId, tripId, delay?.Seconds,
                    p.HasBearing ? p.Bearing : null, p.HasSpeed ? Math.Round(p.Speed, 2) : null, municipality), source, position);
            }
        }
    }

    private static string RouteName(GtfsStatic? gtfs, string routeId) =>
        gtfs?.Routes.TryGetValue(routeId, out var route) == true ? $"route {route.DisplayName}" : $"route {routeId}";

    private static void Keep(Dictionary<string, Delay> delays, string key, Delay delay)
    {
        if (!delays.TryGetValue(key, out var known) || known.At <= delay.At) delays[key] = delay;
    }
}
