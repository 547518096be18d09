using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streams.Actors.Entities;
using Streams.Actors.Serialization;
using Streams.Contracts.Readings;
using Streams.Host.Composition;
using Streams.Host.Configuration;

namespace Streams.EndToEnd.Tests.Persistence;

/// <summary>The journal and serializer settings the host composes (the journal tests configure their systems with the same constants).</summary>
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

    [Theory]
    [InlineData(null, "sensor.readings.v2")]
    [InlineData("Binary", "sensor.readings.v2")]
    [InlineData("Json", "sensor.readings.v1")]
    public async Task The_configured_form_decides_the_manifest_the_host_writes_applied_readings_under(string? form, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Streams:DataDir"] = _dir };
        if (form is not null) settings["Streams:Persistence:ReadingsEventForm"] = form;
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(StreamsOptions.Section).Get<StreamsOptions>()!;
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("form-check", builder => builder.WithStreamsSerialization(options)))
            .Build();
        await host.StartAsync();
        try
        {
            var applied = new SensorReadingsApplied([new AppliedReading(new PegelReading("4910010", DateTimeOffset.UnixEpoch, 187.5), null)],
                DateTimeOffset.UnixEpoch);
            var serializer = host.Services.GetRequiredService<ActorSystem>().Serialization.FindSerializerFor(applied);
            Assert.Equal(expected, Akka.Serialization.Serialization.ManifestFor(serializer, applied));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void A_readings_event_form_that_does_not_exist_is_refused_with_the_setting_named()
    {
        var options = new StreamsOptions { Persistence = { ReadingsEventForm = (ReadingsEventForm)7 } };
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "bad-form");
        var error = Assert.Throws<InvalidOperationException>(() => builder.WithStreamsSerialization(options));
        Assert.Contains("Streams:Persistence:ReadingsEventForm", error.Message);
    }
}
