using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streams.Host.Composition;
using Streams.Host.Configuration;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The journal settings the host composes (the journal tests configure their systems with the same constants).</summary>
public sealed class PersistenceSetupTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streams-setup-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_host_turns_off_the_replay_filter_that_dropped_the_events_of_an_entity_back_on_a_node()
    {
        Directory.CreateDirectory(_dir);
        var options = new StreamsOptions { DataDir = _dir };
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("setup-check", builder => builder.WithStreamsPersistence(options)))
            .Build();
        await host.StartAsync();
        try
        {
            var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
            Assert.Equal("off", config.GetString("akka.persistence.journal.sql.replay-filter.mode"));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
