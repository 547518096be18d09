using Streams.Actors.Registry;
using Streams.Contracts;
using Streams.Contracts.Registry;

namespace Streams.Actors.Tests;

public sealed class RegistryViewTests
{
    private static PegelEntry Gauge(string id, string municipality) => new(id, municipality, null, null, null, null, [150], 10, null, 900);

    [Fact]
    public void Municipality_ids_are_the_registered_municipalities_and_those_their_sensors_name()
    {
        var view = new RegistryView();
        view.Upsert(new MunicipalityEntry("05766044", "Lemgo", null));
        view.Upsert(Gauge("g1", "07312000"));
        view.Upsert(Gauge("g2", "05766044"));

        Assert.Equal(["05766044", "07312000"], view.MunicipalityIds().Order(StringComparer.Ordinal));
        Assert.Equal(["05766044"], view.Municipalities.Select(m => m.Id));
    }

    [Fact]
    public void A_municipality_no_entry_and_no_sensor_names_any_more_is_gone()
    {
        var view = new RegistryView();
        view.Upsert(new MunicipalityEntry("05766044", "Lemgo", null));
        view.Upsert(Gauge("g1", "07312000"));

        view.Upsert(Gauge("g1", "05766044")); // moved
        Assert.Equal(["05766044"], view.MunicipalityIds());

        view.Remove(SubjectKind.Municipality, "05766044");
        Assert.Equal(["05766044"], view.MunicipalityIds()); // g1 still names it
        Assert.Empty(view.Municipalities);

        view.Remove(SubjectKind.Pegel, "g1");
        Assert.Empty(view.MunicipalityIds());
    }
}
