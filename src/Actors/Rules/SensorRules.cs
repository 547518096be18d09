using System.Collections.Immutable;
using System.Globalization;
using Streams.Contracts;
using Streams.Contracts.Outputs;
using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Actors.Rules;

/// <summary>
/// The outcome of applying a reading (or a staleness check): the new state, the transitions in the order they
/// happened, and whether anything changed. When <see cref="Applied"/> is false, <see cref="State"/> is the very
/// instance passed in and there are no transitions.
/// </summary>
public sealed record RuleResult(SensorState State, IReadOnlyList<AlertTransition> Transitions, bool Applied);

/// <summary>The alert rules of the contract as pure functions of (state, registry entry, reading).</summary>
public static class SensorRules
{
    /// <summary>Length of the event-time window for <c>pegel.rapid-rise</c> and the trend.</summary>
    public static readonly TimeSpan RiseWindow = TimeSpan.FromMinutes(60);

    /// <summary>The rise is evaluated only when the window's earliest reading is at least this much older.</summary>
    public static readonly TimeSpan MinRiseSpan = TimeSpan.FromMinutes(30);

    private static readonly IReadOnlyList<AlertTransition> None = [];

    public static SensorState Initial(SubjectKind kind) => new() { Kind = kind };

    /// <summary>
    /// Applies a reading. A reading not newer than the last applied one is a duplicate or late arrival:
    /// state unchanged, no transitions, Applied = false.
    /// </summary>
    public static RuleResult Apply(SensorState state, SensorEntry entry, Reading reading, DateTimeOffset wallClockNow)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(reading);
        if (state.Kind != entry.Kind || reading.Kind != entry.Kind)
        {
            throw new ArgumentException($"kind mismatch: state {state.Kind}, entry {entry.Kind}, reading {reading.Kind}", nameof(reading));
        }

        if (state.LastObservedAt is { } last && reading.ObservedAt <= last)
        {
            return new RuleResult(state, None, false);
        }

        var t = reading.ObservedAt;
        var tx = new Transitions(state.OpenEpisodes, t);
        var label = new EntryLabel(entry);

        // sensor.stale is cleared by the next valid reading, before anything else of this reading.
        if (tx.IsOpen(AlertRules.SensorStale))
        {
            var gap = state.LastObservedAt is { } prev ? (t - prev).TotalSeconds : 0;
            tx.Clear(AlertRules.SensorStale, Severities.Warning, gap, entry.StaleAfter.TotalSeconds,
                $"{label} reporting again: {Num(gap)} s since the previous reading");
        }

        // One new state per reading: the kind's rules return only their live part.
        var (pegel, parking, bus) = (state.Pegel, state.Parking, state.Bus);
        switch (entry, reading)
        {
            case (PegelEntry e, PegelReading r):
                pegel = ApplyPegel(state.Pegel, e, r, tx, label);
                break;
            case (ParkingEntry e, ParkingReading r):
                parking = ApplyParking(e, r, tx, label);
                break;
            case (BusEntry e, BusPosition r):
                bus = ApplyBus(state.Bus, e, r, tx, label);
                break;
            default:
                throw new ArgumentException($"unsupported entry/reading combination {entry.GetType().Name}/{reading.GetType().Name}", nameof(reading));
        }

        var next = state with
        {
            LastObservedAt = t, LastAppliedWallClock = wallClockNow, OpenEpisodes = tx.Open, Pegel = pegel, Parking = parking, Bus = bus,
        };
        return new RuleResult(next, tx.List, true);
    }

    /// <summary>
    /// Raises <c>sensor.stale</c> when the sensor has been silent for 3 × expectedIntervalSeconds of wall-clock time.
    /// Applied is true exactly when it raised (state changed); otherwise the same state instance is returned.
    /// </summary>
    public static RuleResult CheckStale(SensorState state, SensorEntry entry, DateTimeOffset wallClockNow)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entry);
        if (state.LastAppliedWallClock is not { } applied || state.LastObservedAt is not { } lastObserved || state.IsStale)
        {
            return new RuleResult(state, None, false);
        }

        var silent = wallClockNow - applied;
        if (silent < entry.StaleAfter)
        {
            return new RuleResult(state, None, false);
        }

        var time = lastObserved + entry.StaleAfter;
        var seconds = (double)(silent.Ticks / TimeSpan.TicksPerSecond);
        var threshold = entry.StaleAfter.TotalSeconds;
        var tx = new Transitions(state.OpenEpisodes, time);
        tx.Raise(AlertRules.SensorStale, Severities.Warning, seconds, threshold,
            $"{Label(entry)} silent: no reading for {Num(seconds)} s ≥ {Num(threshold)} s");
        if (state.Pegel is { } pegel)
        {
            tx.DecorateGauge(pegel.TrendCmPerHour, pegel.Stage, pegel.Stage);
        }

        return new RuleResult(state with { OpenEpisodes = tx.Open }, tx.List, true);
    }

    private static PegelLive ApplyPegel(PegelLive? previous, PegelEntry entry, PegelReading reading, Transitions tx, EntryLabel label)
    {
        var level = reading.LevelCm;
        var t = reading.ObservedAt;
        var stages = entry.StagesCm;
        var stageCount = Math.Min(stages.Count, 4);
        var h = entry.HysteresisCm;
        var previousStage = previous?.Stage ?? 0;

        // Stages are independent rules. Clears first, highest stage first ...
        for (var n = 4; n >= 1; n--)
        {
            var rule = AlertRules.PegelStage(n);
            if (!tx.IsOpen(rule))
            {
                continue;
            }

            if (n > stageCount)
            {
                // The registry no longer has this stage: its open episode ends with this reading.
                var oldStages = previous?.StagesCm;
                var clearLevel = oldStages is not null && oldStages.Count >= n ? oldStages[n - 1] - (previous!.HysteresisCm ?? h) : level;
                tx.Clear(rule, StageSeverity(n), level, clearLevel,
                    $"{label} left stage {n} (stage no longer in the registry): {Num(level)} cm");
            }
            else if (level < stages[n - 1] - h)
            {
                var clearLevel = stages[n - 1] - h;
                tx.Clear(rule, StageSeverity(n), level, clearLevel,
                    $"{label} fell below stage {n}: {Num(level)} cm < {Num(clearLevel)} cm");
            }
        }

        // ... then raises, lowest stage first.
        for (var n = 1; n <= stageCount; n++)
        {
            var rule = AlertRules.PegelStage(n);
            if (!tx.IsOpen(rule) && level >= stages[n - 1])
            {
                tx.Raise(rule, StageSeverity(n), level, stages[n - 1],
                    $"{label} reached stage {n}: {Num(level)} cm ≥ {Num(stages[n - 1])} cm");
            }
        }

        var stage = 0;
        for (var n = 4; n >= 1; n--)
        {
            if (tx.IsOpen(AlertRules.PegelStage(n)))
            {
                stage = n;
                break;
            }
        }

        // 60-minute event-time window, including this reading.
        var cutoff = t - RiseWindow;
        var window = Slide(previous?.Window ?? ImmutableList<LevelSample>.Empty, new LevelSample(t, level), cutoff);
        var earliest = window[0];
        var span = t - earliest.ObservedAt;
        var windowRise = level - earliest.LevelCm;
        double? rise = span >= MinRiseSpan ? windowRise : null;
        double? trend = rise is { } r ? r / span.TotalHours : null;

        if (entry.RiseCmPerHour is { } riseThreshold)
        {
            var open = tx.IsOpen(AlertRules.PegelRapidRise);
            if (rise is { } x)
            {
                if (open && x < riseThreshold / 2)
                {
                    tx.Clear(AlertRules.PegelRapidRise, Severities.Warning, x, riseThreshold / 2,
                        $"{label} no longer rising rapidly: {Num(x)} cm in the last hour < {Num(riseThreshold / 2)} cm");
                }
                else if (!open && x >= riseThreshold)
                {
                    tx.Raise(AlertRules.PegelRapidRise, Severities.Warning, x, riseThreshold,
                        $"{label} rising rapidly: {Num(x)} cm in the last hour ≥ {Num(riseThreshold)} cm");
                }
            }
        }
        else if (tx.IsOpen(AlertRules.PegelRapidRise))
        {
            // The registry no longer has a rise threshold: the open episode ends with this reading.
            var x = rise ?? windowRise;
            var clearLevel = (previous?.RiseCmPerHour ?? 0) / 2;
            tx.Clear(AlertRules.PegelRapidRise, Severities.Warning, x, clearLevel,
                $"{label} rapid-rise alert no longer in the registry: {Num(x)} cm in the last hour");
        }

        tx.DecorateGauge(trend, stage, previousStage);
        return new PegelLive(level, stage, window, trend)
        {
            // The previous list when the registry's stages did not change (nearly always).
            StagesCm = previous?.StagesCm is { } kept && kept.SequenceEqual(stages) ? kept : [.. stages],
            HysteresisCm = h,
            RiseCmPerHour = entry.RiseCmPerHour,
        };
    }

    /// <summary>
    /// The window with <paramref name="sample"/> added and every sample older than <paramref name="cutoff"/> removed.
    /// Readings arrive in event-time order, so the old samples are a prefix: removed as a range, without a predicate.
    /// </summary>
    private static ImmutableList<LevelSample> Slide(ImmutableList<LevelSample> window, LevelSample sample, DateTimeOffset cutoff)
    {
        var old = 0;
        while (old < window.Count && window[old].ObservedAt < cutoff) old++;
        for (var i = old; i < window.Count; i++)
        {
            if (window[i].ObservedAt < cutoff)
                return window.Add(sample).RemoveAll(s => s.ObservedAt < cutoff); // not in order (never written so): as before
        }

        return (old == 0 ? window : window.RemoveRange(0, old)).Add(sample);
    }

    private static ParkingLive ApplyParking(ParkingEntry entry, ParkingReading reading, Transitions tx, EntryLabel label)
    {
        var capacity = reading.Capacity ?? entry.Capacity;
        int occupied;
        if (reading.Occupied is { } o)
        {
            occupied = o;
        }
        else if (reading.Free is { } f)
        {
            // A free count above the capacity would mean negative occupancy: the car park is empty.
            occupied = Math.Max(0, capacity - f);
        }
        else
        {
            throw new ArgumentException("a parking reading needs free or occupied", nameof(reading));
        }

        var free = capacity - occupied;
        var percent = capacity > 0 ? occupied * 100.0 / capacity : 0.0;
        var fullClear = FullClearLevel(capacity);

        // Down: full is cleared before almost-full.
        if (tx.IsOpen(AlertRules.ParkingFull) && free >= fullClear)
        {
            tx.Clear(AlertRules.ParkingFull, Severities.Warning, free, fullClear,
                $"{label} no longer full: {free} free ≥ {fullClear}");
        }

        if (tx.IsOpen(AlertRules.ParkingAlmostFull) && percent < entry.ClearPercent)
        {
            tx.Clear(AlertRules.ParkingAlmostFull, Severities.Info, percent, entry.ClearPercent,
                $"{label} no longer almost full: {Num(percent)} % < {Num(entry.ClearPercent)} %");
        }

        // Up: almost-full is raised before full.
        if (!tx.IsOpen(AlertRules.ParkingAlmostFull) && percent >= entry.AlmostFullPercent)
        {
            tx.Raise(AlertRules.ParkingAlmostFull, Severities.Info, percent, entry.AlmostFullPercent,
                $"{label} almost full: {Num(percent)} % ≥ {Num(entry.AlmostFullPercent)} %");
        }

        if (!tx.IsOpen(AlertRules.ParkingFull) && free <= 0)
        {
            tx.Raise(AlertRules.ParkingFull, Severities.Warning, free, 0,
                $"{label} full: {free} free ≤ 0");
        }

        return new ParkingLive(capacity, occupied, free, percent);
    }

    private static BusLive ApplyBus(BusLive? previous, BusEntry entry, BusPosition reading, Transitions tx, EntryLabel label)
    {
        if (reading.DelaySeconds is { } d)
        {
            var open = tx.IsOpen(AlertRules.BusDelayed);
            if (open && d <= entry.DelayClearSeconds)
            {
                tx.Clear(AlertRules.BusDelayed, Severities.Info, d, entry.DelayClearSeconds,
                    $"{label} no longer delayed: {d} s ≤ {entry.DelayClearSeconds} s");
            }
            else if (!open && d >= entry.DelayAlertSeconds)
            {
                tx.Raise(AlertRules.BusDelayed, Severities.Info, d, entry.DelayAlertSeconds,
                    $"{label} delayed: {d} s ≥ {entry.DelayAlertSeconds} s");
            }
        }

        var delay = reading.DelaySeconds ?? previous?.DelaySeconds;
        return new BusLive(reading.Lat, reading.Lon, delay, reading.RouteId, reading.TripId);
    }

    /// <summary><c>parking.full</c> clears at free ≥ max(1, ⌈2 % of capacity⌉).</summary>
    public static int FullClearLevel(int capacity) => Math.Max(1, capacity <= 0 ? 0 : (int)((2L * capacity + 99) / 100));

    private static string StageSeverity(int stage) => stage switch
    {
        1 => Severities.Info,
        2 => Severities.Warning,
        _ => Severities.Critical,
    };

    /// <summary>A sensor's label, built only when a message uses it (most readings raise nothing).</summary>
    private readonly record struct EntryLabel(SensorEntry Entry)
    {
        public override string ToString() => Label(Entry);
    }

    /// <summary>The human-readable name of a sensor in messages, e.g. <c>Pegel Lemgo (Bega)</c>.</summary>
    internal static string Label(SensorEntry entry) => entry switch
    {
        PegelEntry p when !string.IsNullOrEmpty(p.Water) => $"Pegel {p.Name ?? p.Id} ({p.Water})",
        PegelEntry p => $"Pegel {p.Name ?? p.Id}",
        ParkingEntry p => $"Parking {p.Name ?? p.Id}",
        BusEntry b => $"Bus {b.Name ?? b.Id}",
        _ => entry.Subject,
    };

    /// <summary>Invariant culture, at most two decimals, no trailing zeros (187.0 → "187", 90.909 → "90.91").</summary>
    internal static string Num(double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // no "-0"
        }

        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Collects the transitions of one reading and keeps the open episodes in step with them.</summary>
    private sealed class Transitions(ImmutableSortedDictionary<string, DateTimeOffset> open, DateTimeOffset time)
    {
        public ImmutableSortedDictionary<string, DateTimeOffset> Open { get; private set; } = open;

        private List<AlertTransition>? _list;

        /// <summary>The transitions so far; a shared empty list while there are none (most readings).</summary>
        public IReadOnlyList<AlertTransition> List => _list ?? None;

        public bool IsOpen(string rule) => Open.ContainsKey(rule);

        public void Raise(string rule, string severity, double value, double threshold, string message)
        {
            Open = Open.Add(rule, time);
            (_list ??= []).Add(new AlertTransition(rule, AlertStates.Raised, severity, value, threshold, time, time, message));
        }

        public void Clear(string rule, string severity, double value, double threshold, string message)
        {
            var started = Open[rule];
            Open = Open.Remove(rule);
            (_list ??= []).Add(new AlertTransition(rule, AlertStates.Cleared, severity, value, threshold, time, started, message));
        }

        public void DecorateGauge(double? trend, int stage, int previousStage)
        {
            if (_list is null) return;
            for (var i = 0; i < _list.Count; i++)
            {
                _list[i] = _list[i] with { TrendCmPerHour = trend, Stage = stage, PreviousStage = previousStage };
            }
        }
    }
}
