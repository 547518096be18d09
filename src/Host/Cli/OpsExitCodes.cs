namespace Streams.Host.Cli;

/// <summary>What the ops verbs exit with.</summary>
public static class OpsExitCodes
{
    public const int Ok = 0;

    /// <summary>The node answered but refused (token missing or wrong, admin off, bad request) or the operation failed.</summary>
    public const int Failed = 1;

    /// <summary>No answer from the node (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 2;
}
