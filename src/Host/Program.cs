using Streams.Actors.Entities;
using Streams.Actors.Ingestion;
using Streams.Actors.Registry;
using Streams.Host.Admin;
using Streams.Host.Cli;
using Streams.Host.Composition;
using Streams.Host.Configuration;
using Streams.Host.Dashboard;
using Streams.Host.Demo;
using Streams.Host.Http;
using Streams.Host.Ingestion;
using Streams.Host.Kafka;
using Streams.Host.Metrics;
using Streams.Host.Status;

if (StreamsCommandLine.IsCommand(args)) return await StreamsCommandLine.RunAsync(args);

// Settings ship next to the binary (appsettings.json); the data dir stays relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// Secrets (connection strings, SASL passwords) can be mounted as files, one per key, e.g. a Kubernetes secret:
// /run/secrets/streams/Streams__Persistence__ConnectionString. Environment variables work too (Streams__...).
builder.Configuration.AddKeyPerFile(Environment.GetEnvironmentVariable("STREAMS_SECRETS_DIR") ?? "/run/secrets/streams", optional: true);
builder.Configuration.AddCommandLine(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

var options = builder.Configuration.GetSection(StreamsOptions.Section).Get<StreamsOptions>() ?? new StreamsOptions();
Directory.CreateDirectory(options.FullDataDir);

KafkaConnection kafka;
try
{
    kafka = new KafkaConnection(options, TopicProvisioningOptions.From(builder.Configuration),
        StaticMembershipOptions.From(builder.Configuration).InstanceId(Environment.GetEnvironmentVariable));
}
catch (Exception ex)
{
    Console.Error.WriteLine($"streams: could not start Kafka: {ex.Message}");
    return 2;
}

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(kafka);
builder.Services.AddSingleton<RegistryView>();
builder.Services.AddSingleton<PipelineMetrics>();
builder.Services.AddSingleton<Readiness>();
builder.Services.AddEntityContext(options);
builder.Services.AddStreamsAkka(options, ClusterFormationOptions.From(builder.Configuration));
builder.Services.AddIngestion(options, kafka);
// The host waits for the drain (see IngestionLifecycle) plus the consumer's close.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = IngestionSettings.Drain(options).PhaseTimeout + TimeSpan.FromSeconds(10));
builder.Services.AddHostedService<StatusReporter>();
builder.Services.AddHostedService<HealthWatch>();
builder.Services.AddAdmin(builder.Configuration);
builder.Services.AddTopicProvisioning(builder.Configuration, kafka);
builder.Services.AddStreamsMetrics(builder.Configuration);
builder.Services.AddSingleton<OutputsFeed>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<OutputsFeed>());
if (DemoFeed.IsEnabled(options)) builder.Services.AddHostedService<DemoFeed>();
builder.Services.AddReadApi(builder.Configuration);
if (DemoFeed.IsEnabled(options)) builder.Services.AddHostedService<RealDataDemo>();

var app = builder.Build();
app.MapStreamsEndpoints();
app.MapDashboard();
app.MapAdminEndpoints();
app.MapStreamsMetrics();
app.MapReadApiAndStream();

app.Lifetime.ApplicationStarted.Register(() =>
{
    Console.WriteLine($"[streams] Kafka bootstrap servers: {kafka.BootstrapServers}{(kafka.IsEmbedded ? " (embedded)" : "")}");
    Console.WriteLine($"[streams] HTTP: {string.Join(", ", app.Urls)}");
    Console.WriteLine($"[streams] data dir: {options.FullDataDir}");
    Console.WriteLine($"[streams] persistence: {PersistenceSetup.Describe(options)}");
    Console.WriteLine($"[streams] demo feed: {(DemoFeed.IsEnabled(options) ? "on" : "off")}");
});

await app.RunAsync();
kafka.Dispose();
return 0;
