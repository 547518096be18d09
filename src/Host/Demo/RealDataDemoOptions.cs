namespace Streams.Host.Demo;

/// <summary><c>Streams:Demo:RealData</c>: the demo's loop of real recordings, beside the synthetic feed.</summary>
public sealed class RealDataDemoOptions
{
    public const string Section = "Streams:Demo:RealData";

    public bool Enabled { get; set; } = true;

    /// <summary>Event time runs this many times faster than wall time: 17280 = one recorded day in 5 seconds.</summary>
    public double Speed { get; set; } = 17_280;

    /// <summary>Where <c>../shared/data</c> is, for recordings whose licence keeps them out of the repo; empty = repo files only.</summary>
    public string SharedDataDir { get; set; } = "";
}
