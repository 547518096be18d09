using Akka.Actor;
using Akka.Cluster;

namespace Streams.Host.Admin;

/// <summary>Admin routes for cluster membership: show, status, leader, leave, down, down-unreachable.</summary>
public static class ClusterAdmin
{
    public static RouteGroupBuilder MapClusterAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/cluster", (ActorSystem system) => Results.Ok(View(Cluster.Get(system))));

        admin.MapGet("/cluster/status", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var state = cluster.State;
            return Results.Ok(new ClusterStatus(
                cluster.SelfAddress.ToString(), cluster.SelfMember.Status.ToString(), state.Leader?.ToString(),
                state.Members.Count, state.Members.Count(m => m.Status == MemberStatus.Up), state.Unreachable.Count));
        });

        admin.MapGet("/cluster/leader", (ActorSystem system) =>
        {
            var leader = Cluster.Get(system).State.Leader;
            return leader is null
                ? Results.Json(new ErrorBody("no leader (the cluster has not converged)"), statusCode: StatusCodes.Status409Conflict)
                : Results.Ok(new { leader = leader.ToString() });
        });

        admin.MapPost("/cluster/leave", (ClusterActionRequest request, ActorSystem system, ILogger<ClusterView> logger) =>
            Act(system, request.Address, "leave", logger, (c, a) => c.Leave(a)));

        admin.MapPost("/cluster/down", (ClusterActionRequest request, ActorSystem system, ILogger<ClusterView> logger) =>
            Act(system, request.Address, "down", logger, (c, a) => c.Down(a)));

        admin.MapPost("/cluster/down-unreachable", (ActorSystem system, ILogger<ClusterView> logger) =>
        {
            var cluster = Cluster.Get(system);
            var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
            foreach (var address in unreachable)
            {
                logger.LogWarning("Admin: downing unreachable member {Address}", address);
                cluster.Down(address);
            }
            return Results.Ok(new ClusterActionResult("down", unreachable.Select(a => a.ToString()).ToList()));
        });
        return admin;
    }

    public static ClusterView View(Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members
            .Select(m => new MemberInfo(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToList(),
                !unreachable.Contains(m.Address), m.Address.Equals(state.Leader), m.Address.Equals(cluster.SelfAddress)))
            .ToList();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members);
    }

    private static IResult Act(ActorSystem system, string address, string action, ILogger logger, Action<Cluster, Address> act)
    {
        var cluster = Cluster.Get(system);
        Address parsed;
        try { parsed = address == "self" ? cluster.SelfAddress : Address.Parse(address); }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException)
        {
            return Results.BadRequest(new ErrorBody($"not an actor-system address: '{address}' ({ex.Message})"));
        }
        var member = cluster.State.Members.FirstOrDefault(m => m.Address.Equals(parsed));
        if (member is null) return Results.NotFound(new ErrorBody($"{address} is not a member of this cluster"));
        logger.LogWarning("Admin: {Action} {Address}", action, parsed);
        act(cluster, parsed);
        return Results.Accepted(value: new ClusterActionResult(action, [parsed.ToString()]));
    }
}
