namespace Tally.Bench.Common;

/// <summary>A command to run: the executable, its arguments, and the environment it replaces or adds.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public override string ToString() =>
        string.Join(' ', Environment.Select(static kv => $"{kv.Key}={kv.Value}"))
        + " " + FileName + " " + string.Join(' ', Arguments);
}
