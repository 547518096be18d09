using System.Collections.Immutable;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Actors.Aggregates;
using Streams.Contracts;
using Streams.Contracts.Outputs;

namespace Streams.Rules.Tests;

/// <summary>
/// The municipality's running aggregate (<see cref="MunicipalityMembers"/>, <see cref="AggregateTally"/>) must always
/// equal the aggregate computed from scratch over the same subjects, whatever the order of joins, reports, leaves and
/// registry changes.
/// </summary>
public class MunicipalityMembersProperties
{
    private const string Ags = "05766044";
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static readonly (SubjectKind Kind, string Id)[] Pool =
    [
        (SubjectKind.Pegel, "g0"), (SubjectKind.Pegel, "g1"), (SubjectKind.Pegel, "g2"),
        (SubjectKind.Parking, "p0"), (SubjectKind.Parking, "p1"), (SubjectKind.Parking, "p2"),
        (SubjectKind.Bus, "b0"), (SubjectKind.Bus, "b1"), (SubjectKind.Bus, "b2"), (SubjectKind.Bus, "b3"),
    ];

    /// <summary>One step: what to do (0–9), to which subject (0–9), and eight small values for the summary or the registry.</summary>
    private static readonly Gen<int[]> Step = Gen.ArrayOf(Gen.Choose(0, 9), 10);

    [Property(MaxTest = 500)]
    public Property Running_aggregate_equals_the_aggregate_computed_from_scratch_after_every_change() =>
        Prop.ForAll(Gen.ArrayOf(Step).ToArbitrary(), steps =>
        {
            var members = new MunicipalityMembers(Ags);
            IReadOnlySet<(SubjectKind Kind, string Id)> registered = ImmutableHashSet<(SubjectKind, string)>.Empty;
            var seq = 0L;
            foreach (var step in steps)
            {
                var (kind, id) = Pool[step[1]];
                switch (step[0])
                {
                    case <= 4:
                        members.Report(members.Join(kind, id), Summary(kind, id, step));
                        break;
                    case 5 or 6:
                        members.Join(kind, id);
                        break;
                    case 7:
                        members.Leave(kind, id, out _);
                        break;
                    case 8:
                        registered = Pool.Where((_, i) => (step[2 + i % 8] + i) % 3 == 0).ToImmutableHashSet();
                        break;
                }
                var running = members.Aggregate("Lemgo", ++seq, registered);
                var fromScratch = MunicipalityAggregator.Compute(Ags, "Lemgo", seq, members.Subjects(registered));
                Assert.Equal(Json(fromScratch), Json(running));
            }
        });

    [Fact]
    public void Aggregate_takes_the_next_largest_delay_when_the_most_delayed_bus_catches_up()
    {
        var members = new MunicipalityMembers(Ags);
        var none = ImmutableHashSet<(SubjectKind, string)>.Empty;
        members.Report(members.Join(SubjectKind.Bus, "b0"), Bus("b0", 600));
        members.Report(members.Join(SubjectKind.Bus, "b1"), Bus("b1", 240));
        Assert.Equal(600, members.Aggregate(null, 1, none).Bus.MaxDelaySeconds);

        members.Report(members.Join(SubjectKind.Bus, "b0"), Bus("b0", 30));

        var a = members.Aggregate(null, 2, none);
        Assert.Equal(240, a.Bus.MaxDelaySeconds);
        Assert.Equal(135, a.Bus.MeanDelaySeconds);
    }

    [Fact]
    public void Registered_sensors_that_never_reported_count_once_and_stop_counting_as_silent_when_they_report()
    {
        var members = new MunicipalityMembers(Ags);
        IReadOnlySet<(SubjectKind, string)> registered = ImmutableHashSet.Create((SubjectKind.Parking, "p0"), (SubjectKind.Parking, "p1"));
        Assert.Equal(2, members.Aggregate(null, 1, registered).Parking.Facilities);

        members.Report(members.Join(SubjectKind.Parking, "p0"), Summary(SubjectKind.Parking, "p0", [0, 3, 5, 1, 2, 0, 0, 9, 4, 0]));

        var a = members.Aggregate(null, 2, registered);
        Assert.Equal(2, a.Parking.Facilities);
        Assert.Equal(100, a.Parking.Capacity);
    }

    private static SensorSummary Bus(string id, int delay) =>
        new(SubjectKind.Bus, id, Ags, T0, false, 0, null, false, null, null, null, false, false, delay, delay >= 300);

    /// <summary>A summary from a step's values; small ranges, so that equal maxima and stale subjects are common.</summary>
    private static SensorSummary Summary(SubjectKind kind, string id, int[] v)
    {
        DateTimeOffset? at = v[3] == 0 ? null : T0.AddMinutes(v[4]);
        var stale = v[2] < 2;
        var open = v[5] % 3;
        return kind switch
        {
            SubjectKind.Pegel => new(kind, id, Ags, at, stale, open, v[6] == 9 ? null : v[6] % 5, v[9] % 2 == 0, null, null, null, false, false, null, false),
            SubjectKind.Parking => new(kind, id, Ags, at, stale, open, null, false, v[7] == 0 ? null : 10 + v[7] * 10, v[8] * 10, v[7] * 10 - v[8], v[9] % 2 == 0, v[9] % 4 == 0, null, false),
            _ => new(kind, id, Ags, at, stale, open, null, false, null, null, null, false, false, v[7] == 0 ? null : (v[6] - 3) * 60, v[9] % 2 == 0),
        };
    }

    private static string Json(MunicipalityAggregate a) => JsonSerializer.Serialize(a);
}
