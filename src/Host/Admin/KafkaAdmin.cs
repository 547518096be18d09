using Akka.Actor;
using Streams.Contracts.Outputs;
using Streams.Contracts.Serialization;
using Streams.Host.Configuration;
using Streams.Host.Kafka;

namespace Streams.Host.Admin;

/// <summary>Admin routes for Kafka: lag per partition with its owner, contract topics, and the tails of alerts and dead letters.</summary>
public static class KafkaAdmin
{
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapKafkaAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/kafka/lag", async (ActorSystem system, StreamsOptions options, KafkaConnection kafka) =>
        {
            var owners = await AssignmentReporter.OwnersAsync(system, TimeSpan.FromSeconds(3));
            var t = options.Topics;
            return Results.Ok(new ConsumerGroupLag(kafka).Compute(options.Kafka.GroupId, [t.Pegel, t.Parking, t.Bus], owners));
        });

        admin.MapGet("/kafka/topics", async (StreamsOptions options, TopicProvisioningOptions provisioning, TopicProvisioner provisioner) =>
            Results.Ok(await provisioner.DescribeAsync(TopicPlan.For(options, provisioning))));

        admin.MapPost("/kafka/topics", async (StreamsOptions options, TopicProvisioningOptions provisioning, TopicProvisioner provisioner) =>
        {
            var result = await provisioner.CreateMissingAsync(TopicPlan.For(options, provisioning));
            return result.Failed.Count == 0 ? Results.Ok(result) : Results.Json(result, statusCode: StatusCodes.Status502BadGateway);
        });

        admin.MapGet("/alerts", (string? municipality, int? limit, StreamsOptions options, KafkaConnection kafka) =>
        {
            var n = Math.Clamp(limit ?? 20, 1, MaxLimit);
            var scan = municipality is null ? n : Math.Max(n, 5000);
            return Results.Ok(new TopicTail(kafka).Latest(options.Topics.Alerts, n, scan, bytes =>
            {
                var alert = TryParse<AlertEvent>(bytes);
                return alert is not null && (municipality is null || alert.Data.Municipality == municipality) ? alert : null;
            }));
        });

        admin.MapGet("/deadletters", (string? reason, int? limit, StreamsOptions options, KafkaConnection kafka) =>
        {
            var n = Math.Clamp(limit ?? 20, 1, MaxLimit);
            var scan = reason is null ? n : Math.Max(n, 5000);
            return Results.Ok(new TopicTail(kafka).Latest(options.Topics.DeadLetter, n, scan, bytes =>
            {
                var deadLetter = TryParse<DeadLetter>(bytes);
                return deadLetter is not null && (reason is null || deadLetter.Reason == reason) ? deadLetter : null;
            }));
        });
        return admin;
    }

    /// <summary>Records on an output topic that are not the contract's (someone else wrote them) are skipped.</summary>
    private static T? TryParse<T>(byte[] bytes) where T : class
    {
        try { return ContractJson.Deserialize<T>(bytes); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
