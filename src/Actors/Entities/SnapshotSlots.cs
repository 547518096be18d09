namespace Streams.Actors.Entities;

/// <summary>
/// How many snapshots stopping sensors may have in flight at once on this node. A snapshot at a stop only spares a
/// later wake some replay, so when every slot is taken a sensor stops without one. Without the limit, 20,000 sensors
/// put to sleep together (as gauges reporting on the same quarter hour are) queued their snapshot writes in front of
/// the journal: their stops timed out, the readings the shard held for them were asked again, and recoveries timed out.
/// </summary>
public sealed class SnapshotSlots(int max)
{
    private int _taken;

    public int Taken => Volatile.Read(ref _taken);

    public bool TryTake()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            if (taken >= max) return false;
            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken) return true;
        }
    }

    public void Return() => Interlocked.Decrement(ref _taken);
}
