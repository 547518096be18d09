using Streams.Contracts.Outputs;

namespace Streams.Contracts.Tests;

/// <summary>Output records shaped like the contract's examples.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset At = new(2026, 11, 25, 10, 15, 0, TimeSpan.FromHours(1));

    public static AlertEvent Alert(string state = AlertStates.Raised) => new(
        "1.0",
        "pegel/4910010|pegel.stage1|raised|2026-11-25T10:15:00+01:00",
        "/streams/municipalities/05766044",
        state == AlertStates.Raised ? AlertEvent.RaisedType : AlertEvent.ClearedType,
        "pegel/4910010",
        At,
        "application/json",
        new AlertData(AlertRules.PegelStage(1), state, Severities.Info, "05766044", "pegel", "4910010", 187.0, 150, At,
            "Pegel Lemgo (Bega) reached stage 1: 187 cm ≥ 150 cm")
        {
            Stage = 1,
            PreviousStage = 0,
        });

    public static MunicipalityAggregate Aggregate(string? name = "Lemgo") => new(
        "05766044",
        name,
        new DateTimeOffset(2026, 11, 25, 10, 15, 3, TimeSpan.FromHours(1)),
        1842,
        new ParkingAggregate(6, 1410, 1101, 309, 78.1, 1, 0, 0),
        new BusAggregate(14, 1, 2, 95.4, 410),
        new PegelAggregate(3, 1, [2, 1, 0, 0, 0], 1, 0),
        4);

    public static DeadLetter Dead(string? key = "4910010", string? payload = "{\"stationId\":\"4910010\"}", string? payloadBase64 = null) => new(
        "streams.pegel", 3, 1207, key, DeadLetterReasons.InvalidField, "levelCm: expected a number, got \"abc\"", payload, payloadBase64,
        new DateTimeOffset(2026, 11, 25, 10, 15, 4, TimeSpan.FromHours(1)));
}
