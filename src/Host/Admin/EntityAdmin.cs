using Akka.Actor;
using Streams.Actors.Entities;
using Streams.Contracts;
using Streams.Contracts.Outputs;

namespace Streams.Host.Admin;

/// <summary>Admin route for one entity's live state and open alerts: <c>/admin/entities/{kind}/{id}</c>.</summary>
public static class EntityAdmin
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapEntityAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/entities/{kind}/{id}", async (string kind, string id, EntityContext ctx) =>
        {
            if (!SubjectKinds.TryParse(kind, out var k))
                return Results.BadRequest(new ErrorBody($"kind must be pegel, parking, bus or municipality, not '{kind}'"));
            try
            {
                if (k == SubjectKind.Municipality)
                {
                    var aggregate = await ctx.Regions.Municipalities.Ask<MunicipalityAggregate>(new GetAggregate(id), AskTimeout);
                    return Results.Json(new EntityView(kind, id, [], 0, aggregate), AdminJson.Options);
                }
                var reply = await ctx.Regions.Sensors(k).Ask<SensorStateReply>(new GetSensorState(id), AskTimeout);
                var open = reply.State.OpenEpisodes.Select(e => new OpenAlert(e.Key, e.Value)).ToList();
                return Results.Json(new EntityView(kind, id, open, reply.PendingAlerts, reply.State), AdminJson.Options);
            }
            catch (AskTimeoutException)
            {
                return Results.Json(new ErrorBody($"{kind}/{id} did not answer within {AskTimeout.TotalSeconds} s"), statusCode: StatusCodes.Status504GatewayTimeout);
            }
        });
        return admin;
    }
}
