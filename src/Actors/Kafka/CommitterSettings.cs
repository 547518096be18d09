namespace Streams.Actors.Kafka;

/// <summary>Commit when this many offsets completed, or this much time passed, whichever comes first.</summary>
public sealed record CommitterSettings(int MaxBatch = 1000, TimeSpan? MaxInterval = null)
{
    public TimeSpan Interval => MaxInterval ?? TimeSpan.FromSeconds(1);
}
