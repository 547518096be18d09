using System.Diagnostics.Metrics;

namespace Streams.Actors.Placement;

/// <summary>
/// Whether readings reach their entity on this node (local) or cross the network (remote), and how many arrived on a
/// partition other than the one <see cref="SensorPlacement"/> computes for their key (a producer with another
/// partitioner, or a partition count that differs from the configuration: placement cannot follow those).
/// </summary>
public sealed class PlacementMetrics : IDisposable
{
    public const string MeterName = "Streams.Placement";
    private readonly Meter _meter;
    private long _local;
    private long _remote;
    private long _mismatched;

    public PlacementMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("streams.readings.routed", () => new[]
        {
            new Measurement<long>(Local, new KeyValuePair<string, object?>("locality", "local")),
            new Measurement<long>(Remote, new KeyValuePair<string, object?>("locality", "remote")),
        }, "{reading}", "Valid readings sent to an entity on this node (local) or on another node (remote)");
        _meter.CreateObservableCounter("streams.readings.partition_mismatch", () => Mismatched, "{reading}",
            "Readings consumed from a partition other than the one their key maps to under the configured partitioner");
    }

    public void Routed(int local, int remote, int mismatched)
    {
        if (local > 0) Interlocked.Add(ref _local, local);
        if (remote > 0) Interlocked.Add(ref _remote, remote);
        if (mismatched > 0) Interlocked.Add(ref _mismatched, mismatched);
    }

    public long Local => Interlocked.Read(ref _local);
    public long Remote => Interlocked.Read(ref _remote);
    public long Mismatched => Interlocked.Read(ref _mismatched);

    /// <summary>Remote ÷ routed, or null before any reading was routed.</summary>
    public double? RemoteShare
    {
        get
        {
            var (local, remote) = (Local, Remote);
            return local + remote == 0 ? null : (double)remote / (local + remote);
        }
    }

    public void Dispose() => _meter.Dispose();
}
