using Streams.Host.Http.Streaming;

namespace Streams.Host.Http;

/// <summary>Services and routes of the public read API, the live stream and its OpenAPI document.</summary>
public static class ReadApiSetup
{
    public static IServiceCollection AddReadApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(LiveStreamOptions.Section).Get<LiveStreamOptions>() ?? new LiveStreamOptions());
        services.AddSingleton<LiveQueries>();
        services.AddSingleton<RegistryLookup>();
        services.AddSingleton<StreamHub>();
        services.AddHostedService<LiveStreamSource>();
        services.AddOpenApi();
        return services;
    }

    /// <summary>The read API, <c>/api/stream</c> and <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapReadApiAndStream(this WebApplication app)
    {
        app.MapReadApi();
        app.MapLiveStream();
        app.MapOpenApi();
        return app;
    }
}
