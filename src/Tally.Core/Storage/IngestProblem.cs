namespace Tally.Core.Storage;

/// <summary>A source line that could not be counted, and why.</summary>
/// <param name="File">The file the line is in.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Reason">What is wrong with it, in words a person can act on.</param>
public sealed record IngestProblem(string File, long Line, string Reason);
