namespace Streams.Host.Demo;

/// <summary>
/// The demo's registry: Lemgo (05766044) and Kaiserslautern (07312000). Gauge levels are modelled on the LANUK gauge
/// Vossheide/Bega (MW 46 cm, MHW 108 cm) and WSV gauges; car park names and capacities of Kaiserslautern come from
/// the ParkAPI fixture of 2021-07-13 (MIT); the rest is invented but plausible.
/// </summary>
public static class DemoRegistry
{
    public const string Lemgo = "05766044";
    public const string Kaiserslautern = "07312000";

    public sealed record Gauge(string Id, string Municipality, string Name, string Water, double Lat, double Lon, double[] StagesCm, double BaseCm, double RiseCmPerHour);
    public sealed record CarPark(string Id, string Municipality, string Name, int Capacity, double Lat, double Lon);
    public sealed record Bus(string Id, string Municipality, string Route, double Lat, double Lon);

    public static readonly (string Id, string Name)[] Municipalities = [(Lemgo, "Lemgo"), (Kaiserslautern, "Kaiserslautern")];

    /// <summary>
    /// Rough outlines of the two towns (GeoJSON Polygon rings, [lon, lat]), hand-drawn around their extent so that the
    /// dashboard has a boundary to draw and unregistered buses can be located: not the official boundaries.
    /// </summary>
    public static readonly Dictionary<string, double[][]> Outlines = new()
    {
        [Lemgo] =
        [
            [8.83, 52.05], [8.86, 52.08], [8.91, 52.09], [8.96, 52.08], [9.01, 52.06], [9.03, 52.03],
            [9.01, 51.99], [8.96, 51.975], [8.90, 51.975], [8.85, 51.99], [8.82, 52.02], [8.83, 52.05],
        ],
        [Kaiserslautern] =
        [
            [7.64, 49.46], [7.68, 49.49], [7.75, 49.50], [7.82, 49.49], [7.87, 49.47], [7.90, 49.43],
            [7.86, 49.39], [7.80, 49.36], [7.72, 49.37], [7.66, 49.40], [7.63, 49.43], [7.64, 49.46],
        ],
    };

    public static readonly Gauge[] Gauges =
    [
        new("4621900000100", Lemgo, "Vossheide", "Bega", 52.0162, 8.9596, [90, 105, 120], 46, 15),
        new("lemgo-bega-mitte", Lemgo, "Lemgo Mitte", "Bega", 52.0279, 8.9013, [150, 200, 250], 110, 20),
        new("kl-lauter-1", Kaiserslautern, "Kaiserslautern", "Lauter", 49.4447, 7.7689, [120, 160, 200], 70, 20),
    ];

    public static readonly CarPark[] CarParks =
    [
        new("lemgo-p1", Lemgo, "P1 Regenstorplatz", 220, 52.0301, 8.8985),
        new("lemgo-p2", Lemgo, "P2 Ostertor", 140, 52.0282, 8.9055),
        new("lemgo-p3", Lemgo, "P3 Lemgo-Mitte Bahnhof", 90, 52.0262, 8.8950),
        new("kl-ph-2", Kaiserslautern, "PH Lutrinastraße", 127, 49.4452, 7.7705),
        new("kl-ph-3", Kaiserslautern, "PH Stiftsplatz", 100, 49.4440, 7.7693),
        new("kl-ph-6", Kaiserslautern, "PH Pfalztheater", 178, 49.4437, 7.7638),
        new("kl-ph-7", Kaiserslautern, "PH Altstadt", 285, 49.4435, 7.7682),
        new("kl-ph-9", Kaiserslautern, "PH K in Lautern", 460, 49.4449, 7.7718),
    ];

    /// <summary>Car parks whose occupancy cycles up to full and back.</summary>
    public static readonly HashSet<string> FillsUp = ["lemgo-p3", "kl-ph-3"];

    /// <summary>A bus that stops reporting now and then.</summary>
    public const string GoesSilent = "swk-bus-105";

    public static readonly Bus[] Buses =
    [
        new("lip-bus-17", Lemgo, "L1", 52.0279, 8.8997),
        new("lip-bus-21", Lemgo, "L2", 52.0250, 8.9100),
        new("swk-bus-101", Kaiserslautern, "101", 49.4447, 7.7689),
        new("swk-bus-105", Kaiserslautern, "105", 49.4400, 7.7550),
    ];
}
