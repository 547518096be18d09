namespace Streams.EndToEnd.Tests;

/// <summary>Host processes are heavy on a 2-core machine: end-to-end tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
