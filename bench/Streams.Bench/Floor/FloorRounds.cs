using Akka.Actor;
using Streams.Bench.Report;

namespace Streams.Bench.Floor;

/// <summary>One design's run: its own one-node system and region, then every round measured on its own.</summary>
internal static class FloorRounds
{
    /// <param name="round">For a round (from 1) and the region: how many commands it sends, and how to send one.</param>
    /// <param name="prefix">The figures' name for a round.</param>
    public static async Task Run(Figures figures, FloorOptions o, Action<string> progress, string design, Func<string, Props> props,
        Func<IActorRef, int, (int Commands, Func<int, Task> Send)> round, Func<int, string> prefix)
    {
        var system = await FloorSystem.Start($"floor-{design}");
        try
        {
            var region = FloorSystem.StartRegion(system, design, props, o.Shards);
            for (var r = 1; r <= o.PerSubject; r++)
            {
                var meter = new PhaseMeter();
                var (commands, send) = round(region, r);
                var label = $"one actor per {design}, round {r}/{o.PerSubject}";
                await FloorDriver.ForEach(commands, o.InFlight, send, n => progress($"{label}: {n:N0}/{commands:N0} commands"));
                meter.AddTo(figures, prefix(r), o.Subjects);
            }
        }
        finally
        {
            await system.Terminate();
        }
    }
}
