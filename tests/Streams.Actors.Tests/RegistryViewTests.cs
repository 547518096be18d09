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

    [Fact]
    public void A_batch_is_invisible_until_published_then_visible_with_its_changes_raised_in_order()
    {
        var view = new RegistryView();
        var seen = new List<(string Id, bool Visible, int Count)>();
        view.Changed += c => seen.Add((c.Id, view.Find(c.Kind, c.Id) is not null || c.Removed, view.Count));
        var batch = view.Batch();
        batch.Upsert(Gauge("g1", "05766044"));
        batch.Upsert(Gauge("g2", "05766044"));
        batch.Upsert(new MunicipalityEntry("05766044", "Lemgo", null));

        Assert.Null(view.Find(SubjectKind.Pegel, "g1"));
        Assert.Empty(view.SensorKeysOf("05766044"));
        Assert.Empty(view.Municipalities);
        Assert.Equal(0, view.Count);
        Assert.Empty(seen);

        view.Publish(batch);
        Assert.Equal([("g1", true, 3), ("g2", true, 3), ("05766044", true, 3)], seen);
        Assert.Equal([(SubjectKind.Pegel, "g1"), (SubjectKind.Pegel, "g2")], view.SensorKeysOf("05766044").Order());
        Assert.Equal(["05766044"], view.Municipalities.Select(m => m.Id));
        Assert.Equal(0, batch.Pending);
    }

    [Fact]
    public void A_batch_taken_before_another_change_is_refused_and_changes_nothing()
    {
        var view = new RegistryView();
        var stale = view.Batch();
        stale.Upsert(Gauge("g1", "05766044"));
        view.Upsert(Gauge("g2", "07312000"));

        Assert.Throws<InvalidOperationException>(() => view.Publish(stale));
        Assert.Null(view.Find(SubjectKind.Pegel, "g1"));
        Assert.Equal(1, view.Count);
        Assert.Equal(["07312000"], view.MunicipalityIds());
    }

    [Fact]
    public void The_municipality_entries_are_a_new_instance_only_when_a_municipality_changes()
    {
        var view = new RegistryView();
        view.Upsert(new MunicipalityEntry("05766044", "Lemgo", null));
        var before = view.MunicipalityEntries;

        view.Upsert(Gauge("g1", "05766044"));
        Assert.Same(before, view.MunicipalityEntries);

        view.Upsert(new MunicipalityEntry("05766044", "Lemgo (Lippe)", null));
        Assert.NotSame(before, view.MunicipalityEntries);
        Assert.Equal("Lemgo (Lippe)", view.Find<MunicipalityEntry>(SubjectKind.Municipality, "05766044")!.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Changes_published_in_batches_of_any_size_leave_the_view_as_the_changes_applied_one_by_one(int seed)
    {
        var random = new Random(seed);
        var municipalities = new[] { "m1", "m2", "m3" };
        var batched = new RegistryView();
        var single = new RegistryView();
        var batch = batched.Batch();
        var raised = new List<RegistryChange>();
        var expected = new List<RegistryChange>();
        var model = new Dictionary<(SubjectKind, string), RegistryEntry>();
        batched.Changed += raised.Add;
        single.Changed += expected.Add;
        for (var i = 0; i < 3_000; i++)
        {
            var id = $"s{random.Next(200)}";
            var kind = random.Next(3) switch { 0 => SubjectKind.Pegel, 1 => SubjectKind.Parking, _ => SubjectKind.Bus };
            var municipality = municipalities[random.Next(municipalities.Length)];
            RegistryEntry entry = kind switch
            {
                SubjectKind.Pegel => Gauge(id, municipality),
                SubjectKind.Parking => new ParkingEntry(id, municipality, null, 100, 90, 85, 300),
                _ => new BusEntry(id, municipality, null, 300, 180, 120),
            };
            switch (random.Next(10))
            {
                case < 2:
                    batch.Remove(kind, id);
                    single.Remove(kind, id);
                    model.Remove((kind, id));
                    break;
                case 2:
                    var m = new MunicipalityEntry(municipality, $"name {random.Next(3)}", null);
                    batch.Upsert(m);
                    single.Upsert(m);
                    model[(m.Kind, m.Id)] = m;
                    break;
                default:
                    batch.Upsert(entry);
                    single.Upsert(entry);
                    model[(entry.Kind, entry.Id)] = entry;
                    break;
            }
            if (random.Next(50) == 0) batched.Publish(batch);
        }
        batched.Publish(batch);

        Assert.Equal(expected, raised);
        Assert.Equal(model.Count, batched.Count);
        Assert.Equal(model.Values.OrderBy(e => (e.Kind, e.Id)), batched.All.OrderBy(e => (e.Kind, e.Id)));
        foreach (var m in municipalities)
            Assert.Equal(model.Values.OfType<SensorEntry>().Where(e => e.Municipality == m).Select(e => (e.Kind, e.Id)).Order(),
                batched.SensorKeysOf(m).Order());
        Assert.Equal(single.Count, batched.Count);
        Assert.Equal(single.All.OrderBy(e => (e.Kind, e.Id)), batched.All.OrderBy(e => (e.Kind, e.Id)));
        Assert.Equal(single.MunicipalityIds().Order(), batched.MunicipalityIds().Order());
        foreach (var m in municipalities)
        {
            Assert.Equal(single.SensorKeysOf(m).Order(), batched.SensorKeysOf(m).Order());
            Assert.Equal(single.SensorsOf(m).OrderBy(e => (e.Kind, e.Id)), batched.SensorsOf(m).OrderBy(e => (e.Kind, e.Id)));
        }
        Assert.Equal(single.Municipalities.OrderBy(e => e.Id), batched.Municipalities.OrderBy(e => e.Id));
    }
}
