using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Publishing;

namespace Streams.Host.Metrics;

/// <summary>
/// OpenTelemetry metrics: the pipeline's and the node's meters, scraped by Prometheus at <c>/metrics</c>, and pushed
/// by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard OTEL_* variables).
/// </summary>
public static class MetricsSetup
{
    public const string ScrapePath = "/metrics";

    public static IServiceCollection AddStreamsMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("streams", serviceInstanceId: Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName))
            .WithMetrics(m =>
            {
                m.AddMeter(PipelineMetrics.MeterName, NodeMeters.MeterName, Streams.Actors.Placement.PlacementMetrics.MeterName);
                m.AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            });
        services.AddHostedService<NodeMeters>();
        return services;
    }

    public static WebApplication MapStreamsMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(ScrapePath);
        return app;
    }
}
