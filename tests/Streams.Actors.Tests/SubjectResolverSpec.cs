using System.Text.Json;
using Streams.Actors.Registry;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Tests;

public sealed class SubjectResolverSpec
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-11-25T10:15:03+01:00");

    private static JsonElement Square(double lat0, double lon0, double lat1, double lon1) => JsonDocument.Parse($$"""
        {"type":"Polygon","coordinates":[[[{{lon0}},{{lat0}}],[{{lon1}},{{lat0}}],[{{lon1}},{{lat1}}],[{{lon0}},{{lat1}}],[{{lon0}},{{lat0}}]]]}
        """).RootElement;

    private static (SubjectResolver, RegistryView) Resolver()
    {
        var registry = new RegistryView();
        registry.Upsert(new MunicipalityEntry("05766044", "Lemgo", Square(51.98, 8.82, 52.08, 8.98)));
        registry.Upsert(new MunicipalityEntry("07312000", "Kaiserslautern", Square(49.38, 7.65, 49.50, 7.90)));
        registry.Upsert(new PegelEntry("4910010", "05766044", null, null, null, null, [150], 10, null, 900));
        registry.Upsert(new BusEntry("lip-bus-17", "05766044", null, 300, 180, 120));
        return (new SubjectResolver(registry, new MunicipalityLocator(registry)), registry);
    }

    [Fact]
    public void A_registered_sensor_resolves_to_its_entry_and_an_unregistered_one_to_nothing()
    {
        var (resolver, _) = Resolver();
        Assert.Equal("05766044", resolver.Resolve(new PegelReading("4910010", T, 100))!.Municipality);
        Assert.Null(resolver.Resolve(new PegelReading("nope", T, 100)));
    }

    [Fact]
    public void A_bus_reading_with_a_municipality_overrides_the_registry_entry()
    {
        var (resolver, _) = Resolver();
        var entry = resolver.Resolve(new BusPosition("lip-bus-17", T, 52.03, 8.9, Municipality: "07312000"));
        Assert.Equal("07312000", entry!.Municipality);
        Assert.Equal(300, ((BusEntry)entry).DelayAlertSeconds);
    }

    [Fact]
    public void An_unregistered_bus_is_placed_by_the_municipality_boundary_that_contains_it()
    {
        var (resolver, _) = Resolver();
        var entry = (BusEntry?)resolver.Resolve(new BusPosition("swk-bus-9", T, 49.4447, 7.7689));
        Assert.Equal("07312000", entry!.Municipality);
        Assert.Equal(BusEntry.DefaultDelayAlertSeconds, entry.DelayAlertSeconds);
        Assert.Equal(BusEntry.DefaultExpectedIntervalSeconds, entry.ExpectedIntervalSeconds);
    }

    [Fact]
    public void An_unregistered_bus_outside_every_boundary_is_unknown()
    {
        var (resolver, _) = Resolver();
        Assert.Null(resolver.Resolve(new BusPosition("far-away", T, 48.1, 11.5)));
    }

    [Fact]
    public void A_changed_boundary_is_used_for_the_next_lookup()
    {
        var (resolver, registry) = Resolver();
        Assert.Null(resolver.Resolve(new BusPosition("b", T, 48.1, 11.5)));
        registry.Upsert(new MunicipalityEntry("09162000", "München", Square(48.0, 11.3, 48.3, 11.8)));
        Assert.Equal("09162000", resolver.Resolve(new BusPosition("b", T, 48.1, 11.5))!.Municipality);
    }
}
