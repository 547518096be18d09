using Streams.EndToEnd.Tests.DatabaseFaults;

namespace Streams.EndToEnd.Tests.Secrets;

/// <summary>
/// Secrets mounted as files, one per key (as Kubernetes mounts a Secret), each in a run that really uses it: the
/// database password opens a PostgreSQL that accepts no other, the SASL password is sent to a broker that records
/// it. Neither may show in the log or in any HTTP response of that run.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SecretsTests : IDisposable
{
    private const string KafkaSecret = "SuperSecret456";
    private const string DbSecret = "SuperSecret123";
    private static readonly string[] Paths = ["/", "/healthz/live", "/healthz/ready", "/api/status", "/api/registry",
        "/api/sensors/pegel/g1", "/api/municipalities/05766044", "/api/aggregates", "/api/alerts/recent"];
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-secrets-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_database_password_mounted_as_a_secret_file_opens_the_journal_and_shows_in_no_log_line_or_http_response()
    {
        Assert.True(OwnPostgres.Available, "needs PostgreSQL installed and root (bash .ci/run)");
        using var db = new OwnPostgres(password: DbSecret);
        using var kafka = new TestKafka();
        Kcat.Produce(kafka.Bootstrap, "streams.registry",
            [("pegel/g1", """{"kind":"pegel","id":"g1","municipality":"05766044","stagesCm":[150],"expectedIntervalSeconds":86400}""")]);
        var secrets = SecretsDir(("Streams__Persistence__ConnectionString", db.ConnectionString + $";Password={DbSecret}"),
            ("Streams__Kafka__GroupId", "group-from-secret-file"));

        var host = StartWithSecrets(secrets, kafka.HostSettings(Path.Combine(_workDir, "data"), "--Streams:Persistence:Provider=PostgreSql"));
        await using var _ = host;
        await host.WaitUntilReady(TimeSpan.FromSeconds(60));
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        Kcat.Produce(kafka.Bootstrap, "streams.pegel", [("g1", $$"""{"stationId":"g1","observedAt":"{{at}}","levelCm":160}""")]);
        // Committed means journaled: PostgreSQL accepted the password from the secret file (it accepts no connection without it).
        await GroupProgress.WaitUntilCaughtUp(host, kafka.Bootstrap, TimeSpan.FromSeconds(30), groupId: "group-from-secret-file");
        Assert.Equal(1, (await host.GetJson("/api/status")).GetProperty("applied").GetInt64());

        var everything = await EverythingShown(host);
        Assert.DoesNotContain(DbSecret, everything);
        Assert.Contains(host.Output, l => l.Contains("persistence:") && l.Contains("PostgreSql", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_SASL_password_mounted_as_a_secret_file_is_sent_to_the_broker_and_shows_in_no_log_line_or_http_response()
    {
        using var broker = new FakeSaslBroker();
        var secrets = SecretsDir(("Streams__Kafka__Properties__sasl.password", KafkaSecret));

        var host = StartWithSecrets(secrets,
        [
            $"--Streams:Kafka:BootstrapServers={broker.Bootstrap}",
            $"--Streams:DataDir={Path.Combine(_workDir, "data")}",
            "--Streams:Demo:Enabled=false",
            "--Streams:Kafka:Properties:security.protocol=SASL_PLAINTEXT",
            "--Streams:Kafka:Properties:sasl.mechanism=PLAIN",
            "--Streams:Kafka:Properties:sasl.username=streams",
        ]);
        await using var _ = host;
        await host.Eventually(() => Task.FromResult(broker.Tokens.Contains($"|streams|{KafkaSecret}")), TimeSpan.FromSeconds(30),
            "the broker received the SASL/PLAIN credentials from the secret file");

        var everything = await EverythingShown(host);
        Assert.DoesNotContain(KafkaSecret, everything);
    }

    private string SecretsDir(params (string Key, string Value)[] files)
    {
        var dir = Path.Combine(_workDir, "secrets");
        Directory.CreateDirectory(dir);
        foreach (var (key, value) in files) File.WriteAllText(Path.Combine(dir, key), value);
        return dir;
    }

    private HostProcess StartWithSecrets(string secretsDir, string[] settings)
    {
        // The child process inherits the environment at its start.
        Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", secretsDir);
        try
        {
            return HostProcess.Start(_workDir, settings);
        }
        finally
        {
            Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", null);
        }
    }

    /// <summary>Every HTTP response (whatever its status) and, after a SIGTERM, the whole console output.</summary>
    private static async Task<string> EverythingShown(HostProcess host)
    {
        var responses = new List<string>();
        foreach (var path in Paths)
        {
            using var response = await host.Http.GetAsync(path);
            responses.Add(await response.Content.ReadAsStringAsync());
        }
        host.SendSigterm();
        await host.WaitForExit(TimeSpan.FromSeconds(30));
        return string.Join('\n', host.Output) + string.Join('\n', responses);
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
