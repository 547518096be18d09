namespace Streams.EndToEnd.Tests.Cluster;

/// <summary>Where the admin token comes from, and what a node without one answers.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AdminEndpointTests : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "streams-admin-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestKafka _kafka = new();

    [Fact]
    public async Task The_token_can_come_from_a_secret_file_and_without_a_token_the_admin_endpoint_is_off_while_the_public_api_answers()
    {
        var secrets = Path.Combine(_workDir, "secrets");
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "Streams__Admin__Token"), "token-from-file\n");
        Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", secrets);
        HostProcess withToken;
        try
        {
            withToken = HostProcess.Start(Path.Combine(_workDir, "a"), _kafka.HostSettings(Path.Combine(_workDir, "a", "data")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("STREAMS_SECRETS_DIR", null);
        }
        await using var a = withToken;
        await using var b = HostProcess.Start(Path.Combine(_workDir, "b"), _kafka.HostSettings(Path.Combine(_workDir, "b", "data"), "--Streams:Kafka:GroupId=other"));
        await a.WaitUntilReady(TimeSpan.FromSeconds(90));
        await b.WaitUntilReady(TimeSpan.FromSeconds(90));

        var fromFile = await StreamsCli.Run("token-from-file", "cluster", "status", "--json", "--node", a.Url);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal("Up", fromFile.Json.GetProperty("selfStatus").GetString());

        var off = await StreamsCli.Run("token-from-file", "cluster", "status", "--node", b.Url);
        Assert.True(off.ExitCode == 1, off.ToString());
        Assert.Contains("no admin endpoint", off.Stderr);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await b.Http.GetAsync("/admin/cluster")).StatusCode);
        Assert.True((await b.Http.GetAsync("/api/status")).IsSuccessStatusCode);
        Assert.Contains(b.Output, l => l.Contains("Admin endpoint off"));
    }

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
