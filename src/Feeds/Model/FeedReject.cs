namespace Streams.Feeds.Model;

/// <summary>A source record an importer could not turn into a contract record: where it was and why.</summary>
/// <param name="Source">The file (or other input) it came from.</param>
/// <param name="Position">Where in the source, e.g. <c>line 17</c>, <c>lots[3] (id kl-p5)</c>, <c>entity 4 (id 1234)</c>.</param>
/// <param name="Reason">What was wrong, in words a user can act on.</param>
public sealed record FeedReject(string Source, string Position, string Reason)
{
    public override string ToString() => $"{Source}, {Position}: {Reason}";
}
