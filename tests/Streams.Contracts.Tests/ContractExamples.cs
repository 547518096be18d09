using System.Text.Json;
using System.Text.RegularExpressions;
using Streams.Contracts.Serialization;

namespace Streams.Contracts.Tests;

/// <summary>
/// The ```json examples of <c>shared/contracts/CONTRACT.md</c>, one JSON object each. A block may hold several
/// objects, and one object may span several lines, so objects are split by brace depth, not by line.
/// </summary>
internal static partial class ContractExamples
{
    /// <summary>A copy of the examples, used when CONTRACT.md is not beside the repository.</summary>
    public const string Inline = """
        ```json
        {"kind":"municipality","id":"05766044","name":"Lemgo"}
        {"kind":"pegel","id":"4910010","municipality":"05766044","name":"Lemgo","water":"Bega",
         "lat":52.03,"lon":8.90,"stagesCm":[150,200,250],"hysteresisCm":10,"riseCmPerHour":20,"expectedIntervalSeconds":900}
        {"kind":"parking","id":"lemgo-p1","municipality":"05766044","name":"P1 Regenstorplatz","capacity":220,
         "almostFullPercent":90,"clearPercent":85,"expectedIntervalSeconds":300}
        {"kind":"bus","id":"lip-bus-17","municipality":"05766044","delayAlertSeconds":300,"delayClearSeconds":180,"expectedIntervalSeconds":120}
        ```
        ```json
        {"stationId":"4910010","observedAt":"2026-11-25T10:15:00+01:00","levelCm":187.0}
        ```
        ```json
        {"facilityId":"lemgo-p1","observedAt":"2026-11-25T10:15:00+01:00","free":12,"capacity":220}
        ```
        ```json
        {"vehicleId":"lip-bus-17","observedAt":"2026-11-25T10:15:03+01:00","lat":52.0279,"lon":8.8997,
         "routeId":"L1","tripId":"L1-0712","delaySeconds":240,"bearing":90,"speedMps":8.3}
        ```
        ```json
        {"specversion":"1.0","id":"<deterministic>","source":"/streams/municipalities/05766044",
         "type":"streams.alert.raised","subject":"pegel/4910010","time":"2026-11-25T10:15:00+01:00",
         "datacontenttype":"application/json",
         "data":{"rule":"pegel.stage1","state":"raised","severity":"info","municipality":"05766044",
                 "kind":"pegel","sensorId":"4910010","value":187.0,"threshold":150,
                 "episodeStartedAt":"2026-11-25T10:15:00+01:00",
                 "message":"Pegel Lemgo (Bega) reached stage 1: 187 cm ≥ 150 cm"}}
        ```
        ```json
        {"municipality":"05766044","name":"Lemgo","asOf":"2026-11-25T10:15:03+01:00","seq":1842,
         "parking":{"facilities":6,"capacity":1410,"occupied":1101,"free":309,"occupancyPercent":78.1,"almostFull":1,"full":0,"stale":0},
         "bus":{"vehicles":14,"stale":1,"delayed":2,"meanDelaySeconds":95.4,"maxDelaySeconds":410},
         "pegel":{"stations":3,"maxStage":1,"atStage":[2,1,0,0,0],"rising":1,"stale":0},
         "openAlerts":4}
        ```
        ```json
        {"id":"streams.pegel/3/1207","sourceTopic":"streams.pegel","partition":3,"offset":1207,"key":"4910010","reason":"invalid-field",
         "error":"levelCm: expected a number, got \"abc\"","payload":"{\"stationId\":\"4910010\",...}",
         "receivedAt":"2026-11-25T10:15:04+01:00"}
        ```
        """;

    /// <summary>Walks up from the test binaries looking for <c>shared/contracts/CONTRACT.md</c>.</summary>
    public static string? FindContract()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "contracts", "CONTRACT.md");
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    /// <summary>The examples of CONTRACT.md when found, else the inline copy.</summary>
    public static IReadOnlyList<string> All()
    {
        string? path = FindContract();
        return Extract(path is null ? Inline : File.ReadAllText(path));
    }

    public static IReadOnlyList<string> Extract(string markdown)
    {
        var objects = new List<string>();
        foreach (Match block in JsonBlock().Matches(markdown.ReplaceLineEndings("\n")))
            objects.AddRange(SplitObjects(block.Groups[1].Value));
        return objects;
    }

    /// <summary>Splits concatenated top-level JSON objects by brace depth, minding strings and escapes.</summary>
    public static IEnumerable<string> SplitObjects(string text)
    {
        int depth = 0, start = -1;
        bool inString = false, escaped = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (escaped)
                    escaped = false;
                else if (c == '\\')
                    escaped = true;
                else if (c == '"')
                    inString = false;
                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    if (depth++ == 0)
                        start = i;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                        yield return text[start..(i + 1)];
                    break;
            }
        }

        if (depth != 0)
            throw new FormatException($"unbalanced JSON in an example block: {text}");
    }

    /// <summary>Which published schema an example object belongs to, by its distinctive field.</summary>
    public static string SchemaFor(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        bool Has(string name) => root.TryGetProperty(name, out _);
        return Has("kind") ? ContractSchemas.RegistryEntry
            : Has("stationId") ? ContractSchemas.PegelReading
            : Has("facilityId") ? ContractSchemas.ParkingReading
            : Has("vehicleId") ? ContractSchemas.BusPosition
            : Has("specversion") ? ContractSchemas.AlertEvent
            : Has("seq") ? ContractSchemas.MunicipalityAggregate
            : Has("sourceTopic") ? ContractSchemas.DeadLetter
            : throw new InvalidOperationException($"no schema for example {json}");
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
