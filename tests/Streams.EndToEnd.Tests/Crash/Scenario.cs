using System.Globalization;

namespace Streams.EndToEnd.Tests.Crash;

/// <summary>One alert transition as the contract identifies it: (subject, rule, state, episodeStartedAt).</summary>
public sealed record ExpectedAlert(string Subject, string Rule, string State, DateTimeOffset EpisodeStartedAt)
{
    public string Key => $"{Subject}|{Rule}|{State}|{EpisodeStartedAt.UtcTicks}";
}

/// <summary>Where a subject ends up once every reading is applied (for the aggregates and the entity states).</summary>
public sealed record FinalState(
    string Kind, string Id, string Municipality, DateTimeOffset LastObservedAt, IReadOnlySet<string> OpenRules,
    double? LevelCm, int? Stage, int? Occupied, int? Free, int? DelaySeconds)
{
    public string Subject => $"{Kind}/{Id}";
}

public sealed record ScenarioRecord(string Topic, string Key, string Value);

/// <summary>
/// A generated scenario with its expected outputs. The expectations come from a deliberately small oracle written
/// from the contract's rules, not from the project's rule code: every subject follows a value pattern made of
/// segments, and each segment states the transitions its first reading causes (e.g. a gauge going
/// 100 → 160 → 210 → 130 raises stage1, stage2, then clears stage2 and stage1). The oracle only keeps track of which
/// episodes are open, to know each transition's episodeStartedAt.
/// </summary>
public sealed class Scenario
{
    public const int Capacity = 200;
    private const int StepSeconds = 30;

    private Scenario() { }

    public List<ScenarioRecord> Registry { get; } = [];

    /// <summary>Readings in production order: round by round over all subjects, each subject in event-time order.</summary>
    public List<ScenarioRecord> Readings { get; } = [];

    /// <summary>Per subject, the expected transitions in the order they happen.</summary>
    public Dictionary<string, List<ExpectedAlert>> Expected { get; } = new();

    public Dictionary<string, FinalState> Final { get; } = new();

    public Dictionary<string, string> Municipalities { get; } = new() { ["05766044"] = "Lemgo", ["07312000"] = "Kaiserslautern" };

    public int ExpectedAlertCount => Expected.Values.Sum(l => l.Count);

    /// <summary>
    /// <paramref name="subjectsPerMunicipality"/> subjects in each of the 2 municipalities (40 % gauges of which a
    /// quarter watch the rise, 40 % car parks, 20 % buses), <paramref name="readingsPerSubject"/> readings each,
    /// 30 s apart in event time, the last one a few minutes before <paramref name="now"/>.
    /// </summary>
    public static Scenario Generate(int subjectsPerMunicipality, int readingsPerSubject, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subjectsPerMunicipality, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(readingsPerSubject, 10);
        var s = new Scenario();
        var n = readingsPerSubject;
        // Whole seconds, so the instants survive the RFC 3339 text without rounding.
        var start = new DateTimeOffset(now.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero)
                    - TimeSpan.FromSeconds((long)n * StepSeconds) - TimeSpan.FromMinutes(5);
        var plans = new List<Plan>();
        foreach (var (ags, name) in s.Municipalities)
        {
            s.Registry.Add(new("streams.registry", $"municipality/{ags}", $$"""{"kind":"municipality","id":"{{ags}}","name":"{{name}}"}"""));
            var gauges = subjectsPerMunicipality * 2 / 5;
            var risers = Math.Max(1, gauges / 4);
            var parks = subjectsPerMunicipality * 2 / 5;
            var buses = subjectsPerMunicipality - gauges - parks;
            for (var i = 0; i < gauges; i++)
            {
                var id = $"{ags}-g{i:000}";
                var rise = i < risers;
                s.Registry.Add(new("streams.registry", $"pegel/{id}",
                    $$"""{"kind":"pegel","id":"{{id}}","municipality":"{{ags}}","name":"Gauge {{i}}","water":"Bega","stagesCm":[150,200,250],"hysteresisCm":10,{{(rise ? "\"riseCmPerHour\":20," : "")}}"expectedIntervalSeconds":86400}"""));
                plans.Add(rise ? RisingGauge(id, ags, n, start) : StageGauge(id, ags, n, start, i));
            }
            for (var i = 0; i < parks; i++)
            {
                var id = $"{ags}-p{i:000}";
                s.Registry.Add(new("streams.registry", $"parking/{id}",
                    $$"""{"kind":"parking","id":"{{id}}","municipality":"{{ags}}","name":"P{{i}}","capacity":{{Capacity}},"almostFullPercent":90,"clearPercent":85,"expectedIntervalSeconds":86400}"""));
                plans.Add(CarPark(id, ags, n, start, i));
            }
            for (var i = 0; i < buses; i++)
            {
                var id = $"{ags}-b{i:000}";
                s.Registry.Add(new("streams.registry", $"bus/{id}",
                    $$"""{"kind":"bus","id":"{{id}}","municipality":"{{ags}}","delayAlertSeconds":300,"delayClearSeconds":180,"expectedIntervalSeconds":86400}"""));
                plans.Add(Bus(id, ags, n, start, i));
            }
        }

        foreach (var plan in plans)
        {
            s.Expected[plan.Subject] = plan.Expected;
            s.Final[plan.Subject] = plan.Final();
        }
        for (var r = 0; r < n; r++)
            foreach (var plan in plans)
                s.Readings.Add(plan.Records[r]);
        return s;
    }

    /// <summary>
    /// Gauge with stages 150/200/250 (hysteresis 10), no rise rule. Cycles of 4 segments, alternating
    /// A: 100, 160 (stage1 raised), 210 (stage2 raised), 130 (stage2 cleared, stage1 cleared) and
    /// B: 100, 260 (stage1, 2, 3 raised), 245 (still ≥ 240: nothing), 100 (stage3, 2, 1 cleared).
    /// </summary>
    private static Plan StageGauge(string id, string ags, int n, DateTimeOffset start, int index)
    {
        var plan = new Plan("pegel", id, ags, "streams.pegel");
        var segment = Math.Max(2, n / 25);
        var cycleA = new (double Level, string[] Tx)[]
        {
            (100, []), (160, ["pegel.stage1+"]), (210, ["pegel.stage2+"]), (130, ["pegel.stage2-", "pegel.stage1-"]),
        };
        var cycleB = new (double Level, string[] Tx)[]
        {
            (100, []), (260, ["pegel.stage1+", "pegel.stage2+", "pegel.stage3+"]), (245, []), (100, ["pegel.stage3-", "pegel.stage2-", "pegel.stage1-"]),
        };
        var segments = new List<(double Level, string[] Tx)>();
        for (var c = 0; segments.Count * segment < n; c++) segments.AddRange((c + index) % 2 == 0 ? cycleA : cycleB);
        for (var r = 0; r < n; r++)
        {
            var (level, tx) = segments[r / segment];
            var t = start.AddSeconds((long)r * StepSeconds);
            plan.Add(t, r % segment == 0 ? tx : [], Pegel(id, t, level, r), level: level);
        }
        return plan;
    }

    /// <summary>
    /// Gauge with a rise rule of 20 cm/h: 50 cm for the first 40 minutes, then 160 (stage1 raised, then rapid-rise
    /// raised: a rise of 110 over ≥ 30 minutes), which stays until no 50 cm reading is left in the 60-minute window
    /// (the rise is 0: rapid-rise cleared), then 100 cm (stage1 cleared; the rise is negative: nothing).
    /// </summary>
    private static Plan RisingGauge(string id, string ags, int n, DateTimeOffset start)
    {
        var plan = new Plan("pegel", id, ags, "streams.pegel");
        long T(int r) => (long)r * StepSeconds;
        var jump = (int)Math.Ceiling(2400.0 / StepSeconds);
        var clear = jump;
        while (T(clear) <= T(jump - 1) + 3600) clear++;
        // Too few readings for the whole story: the level stays at 160 (the expectations stop where the readings stop).
        var fall = n - clear >= 2 ? clear + (n - clear) / 2 : n;
        for (var r = 0; r < n; r++)
        {
            var t = start.AddSeconds(T(r));
            double level = r < jump ? 50 : r < fall ? 160 : 100;
            string[] tx = r == jump ? ["pegel.stage1+", "pegel.rapid-rise+"]
                : r == clear ? ["pegel.rapid-rise-"]
                : r == fall && fall > clear ? ["pegel.stage1-"]
                : [];
            plan.Add(t, tx, Pegel(id, t, level, r), level: level);
        }
        return plan;
    }

    /// <summary>
    /// Car park of 200 places (almost full at 90 %, clear below 85 %, full cleared at ≥ 4 free). Alternating cycles
    /// A: free 100, 15 (almost-full raised), 0 (full raised), 10 (full cleared), 100 (almost-full cleared) and
    /// B: occupied 100, 200 (almost-full then full raised by one reading), 100 (full then almost-full cleared).
    /// </summary>
    private static Plan CarPark(string id, string ags, int n, DateTimeOffset start, int index)
    {
        var plan = new Plan("parking", id, ags, "streams.parking");
        var segment = Math.Max(2, n / 25);
        var cycleA = new (int Free, bool ByOccupied, string[] Tx)[]
        {
            (100, false, []), (15, false, ["parking.almost-full+"]), (0, false, ["parking.full+"]), (10, false, ["parking.full-"]),
            (100, false, ["parking.almost-full-"]),
        };
        var cycleB = new (int Free, bool ByOccupied, string[] Tx)[]
        {
            (100, true, []), (0, true, ["parking.almost-full+", "parking.full+"]), (100, true, ["parking.full-", "parking.almost-full-"]),
        };
        var segments = new List<(int Free, bool ByOccupied, string[] Tx)>();
        for (var c = 0; segments.Count * segment < n; c++) segments.AddRange((c + index) % 2 == 0 ? cycleA : cycleB);
        for (var r = 0; r < n; r++)
        {
            var (free, byOccupied, tx) = segments[r / segment];
            var t = start.AddSeconds((long)r * StepSeconds);
            var value = byOccupied
                ? $$"""{"facilityId":"{{id}}","observedAt":"{{Time(t, r)}}","occupied":{{Capacity - free}}}"""
                : $$"""{"facilityId":"{{id}}","observedAt":"{{Time(t, r)}}","free":{{free}},"capacity":{{Capacity}}}""";
            plan.Add(t, r % segment == 0 ? tx : [], value, free: free);
        }
        return plan;
    }

    /// <summary>
    /// Bus with delay alert at ≥ 300 s, clear at ≤ 180 s. Cycles 60, 400 (delayed raised), 250 (nothing),
    /// a position without a delay (nothing), 100 (delayed cleared).
    /// </summary>
    private static Plan Bus(string id, string ags, int n, DateTimeOffset start, int index)
    {
        var plan = new Plan("bus", id, ags, "streams.bus");
        var segment = Math.Max(2, n / 25);
        var cycle = new (int? Delay, string[] Tx)[]
        {
            (60, []), (400, ["bus.delayed+"]), (250, []), (null, []), (100, ["bus.delayed-"]),
        };
        int? lastDelay = null;
        for (var r = 0; r < n; r++)
        {
            // Every other bus starts its cycle with the late segment: raised by its very first reading.
            var (delay, tx) = cycle[(r / segment + index % 2) % cycle.Length];
            var t = start.AddSeconds((long)r * StepSeconds);
            var lat = (52.0 + index * 0.001 + r * 0.00001).ToString("0.00000", CultureInfo.InvariantCulture);
            var delayField = delay is { } d ? $",\"delaySeconds\":{d}" : "";
            plan.Add(t, r % segment == 0 ? tx : [],
                $$"""{"vehicleId":"{{id}}","observedAt":"{{Time(t, r)}}","lat":{{lat}},"lon":8.9,"routeId":"L{{index % 7}}"{{delayField}}}""",
                delay: delay ?? lastDelay);
            lastDelay = delay ?? lastDelay;
        }
        return plan;
    }

    private static string Pegel(string id, DateTimeOffset t, double level, int r) =>
        $$"""{"stationId":"{{id}}","observedAt":"{{Time(t, r)}}","levelCm":{{level.ToString("0.0", CultureInfo.InvariantCulture)}}}""";

    /// <summary>RFC 3339, alternately in UTC and in CET, so offsets are exercised too.</summary>
    private static string Time(DateTimeOffset t, int r) => r % 2 == 0
        ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : t.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>One subject's readings and the oracle's bookkeeping of its open episodes.</summary>
    private sealed class Plan(string kind, string id, string municipality, string topic)
    {
        private readonly Dictionary<string, DateTimeOffset> _open = new();
        private DateTimeOffset _last;
        private double? _level;
        private int? _free;
        private int? _delay;

        public string Subject => $"{kind}/{id}";
        public List<ScenarioRecord> Records { get; } = [];
        public List<ExpectedAlert> Expected { get; } = [];

        /// <summary><paramref name="tx"/>: "rule+" raises, "rule-" clears, in the order the reading causes them.</summary>
        public void Add(DateTimeOffset t, string[] tx, string value, double? level = null, int? free = null, int? delay = null)
        {
            foreach (var x in tx)
            {
                var rule = x[..^1];
                if (x[^1] == '+')
                {
                    if (!_open.TryAdd(rule, t)) throw new InvalidOperationException($"{Subject}: {rule} raised twice (scenario bug)");
                    Expected.Add(new(Subject, rule, "raised", t));
                }
                else
                {
                    if (!_open.Remove(rule, out var started)) throw new InvalidOperationException($"{Subject}: {rule} cleared while not open (scenario bug)");
                    Expected.Add(new(Subject, rule, "cleared", started));
                }
            }
            Records.Add(new(topic, id, value));
            _last = t;
            _level = level ?? _level;
            _free = free ?? _free;
            _delay = delay;
        }

        public FinalState Final()
        {
            int? stage = _level is null ? null : Enumerable.Range(1, 4).LastOrDefault(k => _open.ContainsKey($"pegel.stage{k}"));
            return new FinalState(kind, id, municipality, _last, _open.Keys.ToHashSet(), _level, stage,
                _free is { } f ? Capacity - f : null, _free, _delay);
        }
    }
}
