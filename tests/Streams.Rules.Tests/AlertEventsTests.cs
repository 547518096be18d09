using System.Text.Json;
using Streams.Actors.Rules;
using Streams.Contracts.Outputs;
using static Streams.Rules.Tests.Fixtures;

namespace Streams.Rules.Tests;

public class AlertEventsTests
{
    [Fact]
    public void Uuid_version_5_matches_the_known_vector_for_www_example_com_in_the_DNS_namespace()
    {
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", AlertEvents.NameBasedUuid(dns, "www.example.com").ToString("D"));
    }

    [Fact]
    public void Deterministic_id_is_uuid_v5_of_subject_rule_state_and_episode_start_in_utc()
    {
        // Expected values computed independently (Python uuid.uuid5) over the project namespace and
        // "pegel/4910010|pegel.stage1|raised|2026-11-25T09:15:00.0000000Z".
        Assert.Equal("cf35c02f-56c4-4073-8544-90a999509dcd", AlertEvents.IdNamespace.ToString("D"));
        Assert.Equal("d251cac0-868b-5c93-8007-820030926883", AlertEvents.DeterministicId("pegel/4910010", "pegel.stage1", "raised", At(10, 15)));
        Assert.Equal("e8bd45c0-8c2a-5fc7-92a7-000fe8feb9c6", AlertEvents.DeterministicId("pegel/4910010", "pegel.stage1", "cleared", At(10, 15)));
    }

    [Fact]
    public void Deterministic_id_depends_on_the_instant_not_on_the_offset_it_is_written_in()
    {
        var cet = AlertEvents.DeterministicId("parking/lemgo-p1", "parking.full", "raised", At(10, 15));
        var utc = AlertEvents.DeterministicId("parking/lemgo-p1", "parking.full", "raised", At(10, 15).ToUniversalTime());
        var tickLater = AlertEvents.DeterministicId("parking/lemgo-p1", "parking.full", "raised", At(10, 15).AddTicks(1));

        Assert.Equal(cet, utc);
        Assert.NotEqual(cet, tickLater);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", cet);
    }

    [Fact]
    public void Contract_example_stage1_raise_becomes_the_contract_cloud_event()
    {
        var (_, transitions) = Run(Lemgo(), Level(At(10, 15), 187.0));

        var e = AlertEvents.ToCloudEvent(Lemgo(), Assert.Single(transitions));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(e));
        var root = json.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("d251cac0-868b-5c93-8007-820030926883", root.GetProperty("id").GetString());
        Assert.Equal("/streams/municipalities/05766044", root.GetProperty("source").GetString());
        Assert.Equal("streams.alert.raised", root.GetProperty("type").GetString());
        Assert.Equal("pegel/4910010", root.GetProperty("subject").GetString());
        Assert.Equal("2026-11-25T10:15:00+01:00", root.GetProperty("time").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());

        var data = root.GetProperty("data");
        Assert.Equal("pegel.stage1", data.GetProperty("Rule").GetString());
        Assert.Equal(e.Data, new AlertData(
            "pegel.stage1", "raised", "info", "05766044", "pegel", "4910010", 187.0, 150,
            At(10, 15), "Pegel Lemgo (Bega) reached stage 1: 187 cm ≥ 150 cm")
        { Stage = 1, PreviousStage = 0 });
        Assert.False(data.TryGetProperty("TrendCmPerHour", out _)); // null: omitted
    }

    [Fact]
    public void Cleared_event_has_cleared_type_and_the_id_of_its_episode_start_and_non_gauges_carry_no_gauge_fields()
    {
        var (_, t) = Run(Bus17(), Delay(At(10, 0), 400), Delay(At(10, 2), 100));

        var raised = AlertEvents.ToCloudEvent(Bus17(), t[0]);
        var cleared = AlertEvents.ToCloudEvent(Bus17(), t[1]);

        Assert.Equal("streams.alert.raised", raised.Type);
        Assert.Equal("streams.alert.cleared", cleared.Type);
        Assert.Equal("cleared", cleared.Data.State);
        Assert.Equal(At(10, 2), cleared.Time);
        Assert.Equal(At(10, 0), cleared.Data.EpisodeStartedAt);
        Assert.Equal(AlertEvents.DeterministicId("bus/lip-bus-17", "bus.delayed", "cleared", At(10, 0)), cleared.Id);
        Assert.NotEqual(raised.Id, cleared.Id);
        Assert.Equal(("bus", "lip-bus-17", "05766044"), (cleared.Data.Kind, cleared.Data.SensorId, cleared.Data.Municipality));
        Assert.Null(cleared.Data.Stage);
        Assert.Null(cleared.Data.PreviousStage);
        Assert.Null(cleared.Data.TrendCmPerHour);
    }
}
