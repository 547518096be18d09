using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;

namespace Streams.Host.Composition;

/// <summary>
/// The rows of a journal write as Akka.Persistence.Sql's own serializer makes them, and the answer the journal owes
/// its callers: per atomic write null (stored) or the serialization failure that rejected it.
/// </summary>
public sealed record JournalRowBatch(IReadOnlyList<JournalRow> Rows, IImmutableList<Exception> Answer)
{
    /// <summary>Null if a row carries tags: those need the plugin's tag table, so the plugin writes them.</summary>
    public static JournalRowBatch? Serialize(ByteArrayJournalSerializer serializer, IReadOnlyList<AtomicWrite> writes)
    {
        var serialized = serializer.Serialize(writes, DateTime.UtcNow.Ticks);
        var rows = new List<JournalRow>(writes.Count);
        var answer = ImmutableList.CreateBuilder<Exception>();
        foreach (var attempt in serialized)
        {
            if (attempt.Success.HasValue)
            {
                foreach (var row in attempt.Success.Value)
                {
                    if (row.TagArray is { Length: > 0 }) return null;
                    rows.Add(row);
                }
                answer.Add(null!); // Akka's answer for a stored write
            }
            else answer.Add(attempt.Failure.Value);
        }
        return new JournalRowBatch(rows, answer.ToImmutable());
    }
}
