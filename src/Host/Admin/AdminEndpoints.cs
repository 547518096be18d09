namespace Streams.Host.Admin;

/// <summary>
/// The ops endpoint under <c>/admin</c>, separate from the read-only public API: every route needs the bearer token
/// (<see cref="AdminTokenFilter"/>); with no token configured nothing is mapped and <c>/admin/*</c> answers 404.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin";

    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<AdminOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminEndpoints));
        if (!options.Enabled)
        {
            logger.LogInformation("Admin endpoint off (no Streams:Admin:Token configured)");
            return app;
        }
        app.MapGroup(Prefix)
            .AddEndpointFilter<AdminTokenFilter>()
            .MapClusterAdmin()
            .MapShardingAdmin()
            .MapEntityAdmin()
            .MapKafkaAdmin();
        logger.LogInformation("Admin endpoint on at {Prefix} (bearer token)", Prefix);
        return app;
    }

    /// <summary>Services the admin endpoint and its per-node helpers need.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(AdminOptions.From(configuration));
        services.AddSingleton<AdminTokenFilter>();
        services.AddSingleton<Kafka.TopicProvisioner>();
        services.AddHostedService<AssignmentReporterService>();
        return services;
    }
}
