using Streams.Contracts;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Registry;

/// <summary>
/// Finds the registry entry a reading applies to. Buses are special (contract): the reading's <c>municipality</c>
/// overrides the registry's, and a bus without an entry is taken with the default thresholds, in the reading's
/// municipality or else the one whose boundary contains its position.
/// </summary>
public sealed class SubjectResolver(RegistryView registry, MunicipalityLocator locator)
{
    public RegistryCurrency Currency => registry.Currency;

    public SensorEntry? Resolve(Reading reading) => reading switch
    {
        BusPosition bus => ResolveBus(bus),
        _ => registry.Find<SensorEntry>(reading.Kind, reading.SubjectId),
    };

    private BusEntry? ResolveBus(BusPosition bus)
    {
        var entry = registry.Find<BusEntry>(SubjectKind.Bus, bus.VehicleId);
        var municipality = bus.Municipality ?? entry?.Municipality ?? locator.Locate(bus.Lat, bus.Lon);
        if (municipality is null) return null;
        if (entry is not null) return entry.Municipality == municipality ? entry : entry with { Municipality = municipality };
        return new BusEntry(bus.VehicleId, municipality, Name: null,
            BusEntry.DefaultDelayAlertSeconds, BusEntry.DefaultDelayClearSeconds, BusEntry.DefaultExpectedIntervalSeconds);
    }
}
