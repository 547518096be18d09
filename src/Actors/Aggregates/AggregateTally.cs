using Streams.Contracts;
using Streams.Contracts.Outputs;

namespace Streams.Actors.Aggregates;

/// <summary>
/// The running sums behind a municipality aggregate. Subjects are added and removed one at a time (a changed summary is
/// the old one removed and the new one added), so an aggregate over 50,000 subjects costs no pass over them.
/// </summary>
/// <remarks>
/// Counts and sums reverse exactly. The two maxima (latest <c>observedAt</c>, largest live delay) cannot: each keeps
/// how many subjects hold it, and when the last holder leaves without a larger value arriving, the next
/// <see cref="ToAggregate"/> takes them again from the subjects it is given. That happens when the latest bus slows
/// down or a subject leaves, not on every reading.
/// </remarks>
public sealed class AggregateTally
{
    private int _openAlerts;
    private int _facilities, _staleFacilities, _almostFull, _full;
    private long _capacity, _occupied, _free;
    private int _vehicles, _staleVehicles, _delayed, _delays;
    private long _delaySum;
    private int _stations, _staleStations, _rising;
    private readonly int[] _atStage = new int[5];
    private Max _asOf;
    private Max _maxDelay;

    /// <summary>Adds a subject's summary.</summary>
    public void Add(SensorSummary s) => Apply(s, +1);

    /// <summary>Removes a summary added before (the same values).</summary>
    public void Remove(SensorSummary s) => Apply(s, -1);

    /// <summary>
    /// Adds (or, negative, removes) subjects of <paramref name="kind"/> known without a reading: they count in
    /// facilities, vehicles or stations and nowhere else.
    /// </summary>
    public void AddSilent(SubjectKind kind, int count)
    {
        switch (kind)
        {
            case SubjectKind.Parking: _facilities += count; break;
            case SubjectKind.Bus: _vehicles += count; break;
            case SubjectKind.Pegel: _stations += count; break;
        }
    }

    /// <summary>
    /// The aggregate of everything added. <paramref name="subjects"/> must yield the summaries currently added; it is
    /// enumerated only when a maximum has to be taken again.
    /// </summary>
    public MunicipalityAggregate ToAggregate(string municipality, string? name, long seq, Func<IEnumerable<SensorSummary>> subjects)
    {
        if (_asOf.Lost || _maxDelay.Lost) Retake(subjects());
        var maxStage = 0;
        for (var stage = _atStage.Length - 1; stage > 0; stage--)
        {
            if (_atStage[stage] <= 0) continue;
            maxStage = stage;
            break;
        }
        return new MunicipalityAggregate(
            municipality,
            name,
            _asOf.Holders > 0 ? new DateTimeOffset(_asOf.Value, TimeSpan.Zero) : DateTimeOffset.UnixEpoch,
            seq,
            new ParkingAggregate(
                Facilities: _facilities,
                Capacity: _capacity,
                Occupied: _occupied,
                Free: _free,
                OccupancyPercent: _capacity > 0 ? Round1(_occupied * 100.0 / _capacity) : 0,
                AlmostFull: _almostFull,
                Full: _full,
                Stale: _staleFacilities),
            new BusAggregate(
                Vehicles: _vehicles,
                Stale: _staleVehicles,
                Delayed: _delayed,
                MeanDelaySeconds: _delays > 0 ? Round1(_delaySum / (double)_delays) : 0,
                MaxDelaySeconds: _delays > 0 ? (int)_maxDelay.Value : 0),
            new PegelAggregate(
                Stations: _stations,
                MaxStage: maxStage,
                // An array: a collection expression would make a compiler-generated list type that the serializer
                // carrying aggregates between nodes cannot create again (AggregateOnTheWireSpec).
                AtStage: _atStage.ToArray(),
                Rising: _rising,
                Stale: _staleStations),
            _openAlerts);
    }

    private void Apply(SensorSummary s, int sign)
    {
        _openAlerts += sign * s.OpenAlerts;
        if (s.LastObservedAt is { } t) _asOf.Apply(t.UtcTicks, sign);
        var live = !s.IsStale && s.LastObservedAt is not null;
        switch (s.Kind)
        {
            case SubjectKind.Parking:
                _facilities += sign;
                if (s.IsStale) _staleFacilities += sign;
                if (!live || s.Capacity is not { } capacity) break;
                _capacity += sign * capacity;
                _occupied += sign * (s.Occupied ?? 0);
                _free += sign * (s.Free ?? 0);
                if (s.AlmostFull) _almostFull += sign;
                if (s.Full) _full += sign;
                break;
            case SubjectKind.Bus:
                _vehicles += sign;
                if (s.IsStale) _staleVehicles += sign;
                if (!live) break;
                if (s.Delayed) _delayed += sign;
                if (s.DelaySeconds is not { } delay) break;
                _delays += sign;
                _delaySum += sign * delay;
                _maxDelay.Apply(delay, sign);
                break;
            case SubjectKind.Pegel:
                _stations += sign;
                if (s.IsStale) _staleStations += sign;
                if (!live) break;
                _atStage[Math.Clamp(s.Stage ?? 0, 0, 4)] += sign;
                if (s.Rising) _rising += sign;
                break;
        }
    }

    private void Retake(IEnumerable<SensorSummary> subjects)
    {
        _asOf = default;
        _maxDelay = default;
        foreach (var s in subjects)
        {
            if (s.LastObservedAt is { } t) _asOf.Apply(t.UtcTicks, +1);
            if (s is { Kind: SubjectKind.Bus, IsStale: false, LastObservedAt: not null, DelaySeconds: { } delay }) _maxDelay.Apply(delay, +1);
        }
    }

    private static double Round1(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// A maximum under additions and removals: its value, how many subjects hold it, and how many subjects count at
    /// all. <see cref="Lost"/> once its last holder left while others remain: the true maximum is then smaller and
    /// unknown until a value at least as large arrives or it is taken again.
    /// </summary>
    private struct Max
    {
        public long Value;
        public int Holders;
        public int Count;

        public readonly bool Lost => Count > 0 && Holders == 0;

        public void Apply(long value, int sign)
        {
            if (sign > 0)
            {
                if (Count == 0 || value > Value || (Holders == 0 && value == Value))
                {
                    Value = value;
                    Holders = 1;
                }
                else if (value == Value) Holders++;
                Count++;
                return;
            }
            Count--;
            if (value == Value && Holders > 0) Holders--;
            if (Count == 0) Holders = 0;
        }
    }
}
