namespace Streams.Host.Dashboard;

public static class DashboardEndpoints
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Streams.Host.Dashboard.index.html")
            ?? throw new InvalidOperationException("dashboard page not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/api/alerts/recent", (OutputsFeed feed) => Results.Ok(feed.Alerts));
        app.MapGet("/api/aggregates", (OutputsFeed feed) => Results.Ok(feed.Aggregates));
        return app;
    }
}
