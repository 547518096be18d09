using System.Text.Json;
using Streams.Contracts.Outputs;
using Streams.Contracts.Registry;
using Streams.Contracts.Validation;
using static Streams.Contracts.Tests.Records;

namespace Streams.Contracts.Tests;

public class RegistryValidationTests
{
    private const string Square = """{"type":"Polygon","coordinates":[[[8.8,52.0],[9.0,52.0],[9.0,52.1],[8.8,52.1],[8.8,52.0]]]}""";

    [Fact]
    public void Contract_municipality_example_is_an_entry()
    {
        var entry = RegistryRecord("municipality/05766044", """{"kind":"municipality","id":"05766044","name":"Lemgo"}""").ValidEntry<MunicipalityEntry>();

        Assert.Equal(new MunicipalityEntry("05766044", "Lemgo", null), entry);
        Assert.Equal("municipality/05766044", entry.Subject);
    }

    [Fact]
    public void Contract_pegel_example_is_an_entry_with_every_field()
    {
        var entry = RegistryRecord("pegel/4910010", """
            {"kind":"pegel","id":"4910010","municipality":"05766044","name":"Lemgo","water":"Bega",
             "lat":52.03,"lon":8.90,"stagesCm":[150,200,250],"hysteresisCm":10,"riseCmPerHour":20,"expectedIntervalSeconds":900}
            """).ValidEntry<PegelEntry>();

        Assert.Equal(new PegelEntry("4910010", "05766044", "Lemgo", "Bega", 52.03, 8.90, [150, 200, 250], 10, 20, 900), entry);
    }

    [Fact]
    public void Contract_parking_example_is_an_entry()
    {
        var entry = RegistryRecord("parking/lemgo-p1", """
            {"kind":"parking","id":"lemgo-p1","municipality":"05766044","name":"P1 Regenstorplatz","capacity":220,
             "almostFullPercent":90,"clearPercent":85,"expectedIntervalSeconds":300}
            """).ValidEntry<ParkingEntry>();

        Assert.Equal(new ParkingEntry("lemgo-p1", "05766044", "P1 Regenstorplatz", 220, 90, 85, 300), entry);
    }

    [Fact]
    public void Contract_bus_example_is_an_entry()
    {
        var entry = RegistryRecord("bus/lip-bus-17",
            """{"kind":"bus","id":"lip-bus-17","municipality":"05766044","delayAlertSeconds":300,"delayClearSeconds":180,"expectedIntervalSeconds":120}""")
            .ValidEntry<BusEntry>();

        Assert.Equal(new BusEntry("lip-bus-17", "05766044", null, 300, 180, 120), entry);
    }

    // ---- defaults ----

    [Fact]
    public void Pegel_defaults_are_hysteresis_10_no_rise_alert_and_900_seconds()
    {
        var entry = RegistryRecord("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100]}""").ValidEntry<PegelEntry>();

        Assert.Equal((10.0, (double?)null, 900), (entry.HysteresisCm, entry.RiseCmPerHour, entry.ExpectedIntervalSeconds));
        Assert.Equal((PegelEntry.DefaultHysteresisCm, PegelEntry.DefaultExpectedIntervalSeconds), (entry.HysteresisCm, entry.ExpectedIntervalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(2700), entry.StaleAfter);
        Assert.Null(entry.Lat);
        Assert.Null(entry.Name);
    }

    [Fact]
    public void Parking_defaults_are_90_and_85_percent_and_300_seconds()
    {
        var entry = RegistryRecord("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":10}""").ValidEntry<ParkingEntry>();

        Assert.Equal((90.0, 85.0, 300), (entry.AlmostFullPercent, entry.ClearPercent, entry.ExpectedIntervalSeconds));
    }

    [Fact]
    public void Bus_defaults_are_300_and_180_seconds_delay_and_120_seconds_interval()
    {
        var entry = RegistryRecord("bus/b", """{"kind":"bus","id":"b","municipality":"m"}""").ValidEntry<BusEntry>();

        Assert.Equal((300, 180, 120), (entry.DelayAlertSeconds, entry.DelayClearSeconds, entry.ExpectedIntervalSeconds));
    }

    [Fact]
    public void Optional_fields_given_as_null_take_their_defaults()
    {
        var entry = RegistryRecord("pegel/p",
            """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"hysteresisCm":null,"riseCmPerHour":null,"expectedIntervalSeconds":null,"name":null}""")
            .ValidEntry<PegelEntry>();

        Assert.Equal((10.0, (double?)null, 900), (entry.HysteresisCm, entry.RiseCmPerHour, entry.ExpectedIntervalSeconds));
    }

    [Fact]
    public void Explicit_values_override_the_defaults()
    {
        var entry = RegistryRecord("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":10,"almostFullPercent":80,"clearPercent":70.5,"expectedIntervalSeconds":60}""")
            .ValidEntry<ParkingEntry>();

        Assert.Equal((80.0, 70.5, 60), (entry.AlmostFullPercent, entry.ClearPercent, entry.ExpectedIntervalSeconds));
    }

    // ---- tombstones ----

    [Theory]
    [InlineData("municipality/05766044", SubjectKind.Municipality, "05766044")]
    [InlineData("pegel/4910010", SubjectKind.Pegel, "4910010")]
    [InlineData("parking/lemgo-p1", SubjectKind.Parking, "lemgo-p1")]
    [InlineData("bus/lip-bus-17", SubjectKind.Bus, "lip-bus-17")]
    [InlineData("bus/a/b", SubjectKind.Bus, "a/b")]
    public void A_null_value_with_a_kind_id_key_is_a_tombstone(string key, SubjectKind kind, string id) =>
        Assert.Equal(new RegistryValidation.Tombstone(kind, id), RegistryRecord(key, null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4910010")]
    [InlineData("pegel/")]
    [InlineData("/4910010")]
    [InlineData("river/4910010")]
    [InlineData("Pegel/4910010")]
    public void A_null_value_with_a_malformed_key_is_invalid_field(string? key)
    {
        var dead = RegistryRecord(key, null).DeadLetter().AssertReason(DeadLetterReasons.InvalidField, "key: a tombstone");

        Assert.Equal(key, dead.Key);
        Assert.Null(dead.Payload);
        Assert.Null(dead.PayloadBase64);
    }

    [Fact]
    public void An_empty_value_on_the_registry_is_not_json_not_a_tombstone() =>
        RegistryRecord("pegel/4910010", "").DeadLetter().AssertReason(DeadLetterReasons.NotJson);

    // ---- not-json ----

    [Theory]
    [InlineData("kind=pegel")]
    [InlineData("""["pegel","4910010"]""")]
    [InlineData("""{"kind":"pegel","id":"4910010",""")]
    public void Registry_values_that_are_not_a_json_object_are_not_json(string value) =>
        RegistryRecord("pegel/4910010", value).DeadLetter().AssertReason(DeadLetterReasons.NotJson);

    // ---- missing-field ----

    [Theory]
    [InlineData("municipality/m", """{"id":"m"}""", "kind: required field is missing")]
    [InlineData("municipality/m", """{"kind":"municipality"}""", "id: required field is missing")]
    [InlineData("municipality/m", """{"kind":null,"id":null}""", "kind, id: required fields are missing")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","stagesCm":[100]}""", "municipality: required field is missing")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m"}""", "stagesCm: required field is missing")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p"}""", "municipality, stagesCm: required fields are missing")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m"}""", "capacity: required field is missing")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","capacity":10}""", "municipality: required field is missing")]
    [InlineData("bus/b", """{"kind":"bus","id":"b"}""", "municipality: required field is missing")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","municipality":null}""", "municipality: required field is missing")]
    public void Registry_entries_without_their_required_fields_are_missing_field(string key, string value, string error) =>
        Assert.Equal(error, RegistryRecord(key, value).DeadLetter().AssertReason(DeadLetterReasons.MissingField).Error);

    // ---- invalid-field ----

    [Theory]
    [InlineData("river/r", """{"kind":"river","id":"r"}""", "kind: unknown kind \"river\", expected municipality, pegel, parking or bus")]
    [InlineData("Pegel/p", """{"kind":"Pegel","id":"p","municipality":"m","stagesCm":[1]}""", "kind: unknown kind \"Pegel\"")]
    [InlineData("pegel/p", """{"kind":1,"id":"p"}""", "kind: expected a string, got 1")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[]}""", "stagesCm: expected 1 to 4 stages, got 0")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[1,2,3,4,5]}""", "stagesCm: expected 1 to 4 stages, got 5")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[200,150]}""", "stagesCm: stages must be strictly ascending, got 200 then 150")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[150,150]}""", "stagesCm: stages must be strictly ascending, got 150 then 150")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":150}""", "stagesCm: expected an array of 1 to 4 numbers, got 150")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[150,"200"]}""", "stagesCm[1]: expected a number, got \"200\"")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[150,"NaN"]}""", "stagesCm[1]: NaN and infinities are not allowed, got \"NaN\"")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[150],"expectedIntervalSeconds":90.5}""", "expectedIntervalSeconds: expected an integer, got 90.5")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[150],"hysteresisCm":"10"}""", "hysteresisCm: expected a number, got \"10\"")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":"220"}""", "capacity: expected an integer, got \"220\"")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","municipality":"m","delayAlertSeconds":300.5}""", "delayAlertSeconds: expected an integer, got 300.5")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","municipality":"m","delayClearSeconds":"180"}""", "delayClearSeconds: expected an integer, got \"180\"")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","municipality":5766044}""", "municipality: expected a string, got 5766044")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","id":"c","municipality":"m"}""", "id: duplicate key")]
    public void Registry_entries_with_wrong_types_or_stages_are_invalid_field(string key, string value, string error) =>
        Assert.StartsWith(error, RegistryRecord(key, value).DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData(null, "key: missing")]
    [InlineData("pegel/other", "key: \"pegel/other\" does not match {kind}/{id} of the value, \"pegel/p\"")]
    [InlineData("parking/p", "key: \"parking/p\" does not match")]
    [InlineData("p", "key: \"p\" does not match")]
    [InlineData("pegel/p ", "key: \"pegel/p \" does not match")]
    public void A_registry_key_other_than_kind_slash_id_is_invalid_field(string? key, string error) =>
        Assert.StartsWith(error, RegistryRecord(key, """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100]}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[8.9,52.0]}""", "boundary: expected a GeoJSON Polygon or MultiPolygon, got type \"Point\"")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}""", "boundary: expected a GeoJSON Polygon or MultiPolygon, got type \"Feature\"")]
    [InlineData("""{"coordinates":[]}""", "boundary: expected a GeoJSON Polygon or MultiPolygon, but \"type\" is missing")]
    [InlineData("\"Lemgo\"", "boundary: expected a GeoJSON Polygon or MultiPolygon object, got \"Lemgo\"")]
    [InlineData("""{"type":"Polygon"}""", "boundary: a GeoJSON Polygon needs \"coordinates\"")]
    [InlineData("""{"type":"Polygon","coordinates":[]}""", "boundary.coordinates: a Polygon needs a non-empty array of linear rings")]
    [InlineData("""{"type":"Polygon","coordinates":[[[8.8,52.0],[9.0,52.0],[8.8,52.0]]]}""", "boundary.coordinates[0]: a linear ring needs at least 4 positions")]
    [InlineData("""{"type":"Polygon","coordinates":[[[8.8,52.0],[9.0,52.0],[9.0,52.1],[8.8,52.1]]]}""", "boundary.coordinates[0]: a linear ring must be closed")]
    [InlineData("""{"type":"Polygon","coordinates":[[[8.8,52.0],[9.0,"52"],[9.0,52.1],[8.8,52.0]]]}""", "boundary.coordinates[0][1]: expected finite numbers")]
    [InlineData("""{"type":"Polygon","coordinates":[[[8.8],[9.0,52.0],[9.0,52.1],[8.8]]]}""", "boundary.coordinates[0][0]: a position is [lon, lat]")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[]}""", "boundary.coordinates: a MultiPolygon needs a non-empty array of polygons")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[[[[8.8,52.0],[9.0,52.0],[9.0,52.1],[8.8,52.0]]],[]]}""", "boundary.coordinates[1]: a Polygon needs")]
    public void A_boundary_that_is_not_a_GeoJSON_polygon_is_invalid_field(string boundary, string error) =>
        Assert.StartsWith(error, RegistryRecord("municipality/m", $$"""{"kind":"municipality","id":"m","boundary":{{boundary}}}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField).Error, StringComparison.Ordinal);

    [Fact]
    public void A_polygon_boundary_is_kept_as_json()
    {
        var entry = RegistryRecord("municipality/m", $$"""{"kind":"municipality","id":"m","boundary":{{Square}}}""").ValidEntry<MunicipalityEntry>();

        using var expected = JsonDocument.Parse(Square);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, entry.Boundary!.Value));
    }

    [Fact]
    public void A_multipolygon_boundary_with_a_hole_and_altitudes_is_valid() =>
        RegistryRecord("municipality/m", """
            {"kind":"municipality","id":"m","boundary":{"type":"MultiPolygon","coordinates":[
              [[[8.8,52.0,100],[9.0,52.0,100],[9.0,52.1,100],[8.8,52.1,100],[8.8,52.0,100]],[[8.85,52.05],[8.9,52.05],[8.9,52.06],[8.85,52.05]]],
              [[[7.7,49.4],[7.8,49.4],[7.8,49.5],[7.7,49.4]]]]}}
            """).ValidEntry<MunicipalityEntry>();

    [Fact]
    public void A_null_boundary_is_no_boundary() =>
        Assert.Null(RegistryRecord("municipality/m", """{"kind":"municipality","id":"m","boundary":null}""").ValidEntry<MunicipalityEntry>().Boundary);

    // ---- out-of-range ----

    [Theory]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"hysteresisCm":-1}""", "hysteresisCm: -1 is below 0")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"expectedIntervalSeconds":0}""", "expectedIntervalSeconds: 0 must be greater than 0")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"expectedIntervalSeconds":-900}""", "expectedIntervalSeconds: -900 must be greater than 0")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"riseCmPerHour":0}""", "riseCmPerHour: 0 must be greater than 0")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"lat":91}""", "lat: 91 is outside -90..90")]
    [InlineData("pegel/p", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"lon":-200}""", "lon: -200 is outside -180..180")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":0}""", "capacity: 0 must be greater than 0")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":-5}""", "capacity: -5 must be greater than 0")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":5,"expectedIntervalSeconds":0}""", "expectedIntervalSeconds: 0 must be greater than 0")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":5,"almostFullPercent":101}""", "almostFullPercent: 101 is outside 0..100")]
    [InlineData("parking/p", """{"kind":"parking","id":"p","municipality":"m","capacity":5,"clearPercent":-1}""", "clearPercent: -1 is outside 0..100")]
    [InlineData("bus/b", """{"kind":"bus","id":"b","municipality":"m","expectedIntervalSeconds":-1}""", "expectedIntervalSeconds: -1 must be greater than 0")]
    [InlineData("municipality/m", """{"kind":"municipality","id":"m","boundary":{"type":"Polygon","coordinates":[[[8.8,52.0],[9.0,95.0],[9.0,52.1],[8.8,52.0]]]}}""", "boundary.coordinates[0][1]: latitude 95 is outside -90..90")]
    public void Registry_values_outside_their_range_are_out_of_range(string key, string value, string error) =>
        Assert.Equal(error, RegistryRecord(key, value).DeadLetter().AssertReason(DeadLetterReasons.OutOfRange).Error);

    [Fact]
    public void A_wrong_key_wins_over_an_out_of_range_value() =>
        RegistryRecord("pegel/other", """{"kind":"pegel","id":"p","municipality":"m","stagesCm":[100],"hysteresisCm":-1}""")
            .DeadLetter().AssertReason(DeadLetterReasons.InvalidField, "key:");

    [Fact]
    public void Registry_entries_have_no_clock_check_and_ignore_unknown_fields() =>
        RegistryRecord("bus/b", """{"kind":"bus","id":"b","municipality":"m","observedAt":"2099-01-01T00:00:00Z","colour":"red"}""").ValidEntry<BusEntry>();
}
