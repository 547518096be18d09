
namespace Streams.EndToEnd.Tests.Secrets;

[Collection(EndToEndCollection.Name)]
public sealed class SecretsTests : IDisposable
{
    private const string KafkaSecret = "SuperSecret456";
    private const string DbSecret = "SuperSecret123";
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-secrets-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    [Fact]
    public async Task Settings_mounted_as_secret_files_are_used_and_no_password_shows_in_the_log_or_any_http_response()
    {
        var secrets = Path.Combine(_workDir, "secrets");
        Directory.CreateDirectory(secrets);
        // A key-per-file mount, as Kubernetes makes from a Secret: file name = configuration key.
        File.WriteAllText(Path.Combine(secrets, "Streams__Kafka__Properties__sasl.password"), KafkaSecret);
        File.WriteAllText(Path.Combine(secrets, "Streams__Kafka__GroupId"), "group-from-secret-file");
        var persistence = Postgres.AdminConnectionString is null
            ? []
            : new[] { "--Streams:Persistence:Provider=PostgreSql" };
        if (Postgres.AdminConnectionString is not null)
            File.WriteAllText(Path.Combine(secrets, "Streams__Persistence__ConnectionString"), Postgres.CreateDatabase() + $";Password={DbSecret}");
        Kcat.Produce(_kafka.Bootstrap, "streams.registry",
            [("pegel/g1", """{"kind":"pegel","id":"g1","municipality":"05766044","stagesCm":[150],"expectedIntervalSeconds":86400}""")]);

        Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", secrets);
        HostProcess host;
        try
        {
            host = HostProcess.Start(_workDir, _kafka.HostSettings(Path.Combine(_workDir, "data"), persistence));
        }
        finally
        {
            Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", null);
        }
        await using var _ = host;
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        Kcat.Produce(_kafka.Bootstrap, "streams.pegel", [("g1", $$"""{"stationId":"g1","observedAt":"{{at}}","levelCm":160}""")]);
        await GroupProgress.WaitUntilCaughtUp(host, _kafka.Bootstrap, TimeSpan.FromSeconds(30), groupId: "group-from-secret-file");

        var responses = new List<string>();
        foreach (var path in new[] { "/", "/healthz/live", "/healthz/ready", "/api/status", "/api/registry", "/api/sensors/pegel/g1",
                     "/api/municipalities/05766044", "/api/aggregates", "/api/alerts/recent" })
            responses.Add(await host.Http.GetStringAsync(path));
        host.SendSigterm();
        await host.WaitForExit(TimeSpan.FromSeconds(30));

        var everything = string.Join('\n', host.Output) + string.Join('\n', responses);
        Assert.DoesNotContain(KafkaSecret, everything);
        Assert.DoesNotContain(DbSecret, everything);
        Assert.Contains(host.Output, l => l.Contains("persistence:"));
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
