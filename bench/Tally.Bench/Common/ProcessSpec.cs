namespace Tally.Bench.Common;

/// <summary>A command to run: the executable, its arguments, and the environment it replaces or adds.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Text written to the child's standard input (then closed), if any.</summary>
    public string? Stdin { get; init; }

    public override string ToString() =>
        string.Join(' ', Environment.Select(static kv => $"{kv.Key}={kv.Value}"))
        + " " + FileName + " " + string.Join(' ', Arguments);
}
