namespace Streams.Host.Dashboard;

/// <summary>The dashboard: a page, a script and a style sheet embedded in the host (no CDN, no tiles: works offline).</summary>
public static class DashboardEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    private static readonly Dictionary<string, byte[]> Assets = ContentTypes.Keys.ToDictionary(name => name, Load);

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Asset("index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (string file) => Assets.ContainsKey(file) && file != "index.html" ? Asset(file) : Results.NotFound())
            .ExcludeFromDescription();
        app.MapGet("/api/alerts/recent", (OutputsFeed feed) => Results.Ok(feed.Alerts.Take(200))).ExcludeFromDescription();
        app.MapGet("/api/aggregates", (OutputsFeed feed) => Results.Ok(feed.Aggregates))
            .WithTags("live").WithSummary("The latest aggregate of every municipality, as read from streams.aggregates");
        return app;
    }

    private static IResult Asset(string name) => Results.Bytes(Assets[name], ContentTypes[name]);

    private static byte[] Load(string name)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Streams.Host.Dashboard." + name)
            ?? throw new InvalidOperationException($"dashboard asset {name} not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
