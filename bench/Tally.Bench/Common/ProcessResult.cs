namespace Tally.Bench.Common;

/// <summary>How one child process ended: exit code, output, wall time, and peak resident memory when measured.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Wall, long? PeakRssBytes, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The first lines of stderr, for error messages.</summary>
    public string StderrHead(int lines = 8) =>
        string.Join('\n', Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(lines));
}
