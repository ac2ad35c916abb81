namespace Tally.Cli.Commands;

/// <summary>What <c>tally</c>'s exit code means (documented in docs/user-guide.md).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Something failed while running (a file or the index could not be used).</summary>
    public const int Failed = 1;

    /// <summary>The command line or the configuration is wrong.</summary>
    public const int Usage = 2;

    /// <summary>No Claude Code data was found and the index is empty.</summary>
    public const int NoData = 3;

    /// <summary><c>tally reconcile</c> found a gap beyond its tolerance.</summary>
    public const int Gap = 4;
}
