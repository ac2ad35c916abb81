using System.Buffers;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// The cheap checks for the lines a transcript parser need not parse: which lines can carry usage, and whether a line
/// that cannot is at least one well-formed JSON object.
/// </summary>
internal static class LineShape
{
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> Structure = SearchValues.Create("\"{}[]"u8);

    /// <summary>
    /// True when a line can hold usage, or is an assistant line: only those are parsed in full. Every other line
    /// (user prompts, tool results, snapshots: three quarters of the bytes of a real transcript) can only matter by
    /// being malformed, so it gets the cheap checks of <see cref="Check"/>. A <c>"usage"</c> inside a JSON string
    /// is escaped (<c>\"usage\"</c>), so it never matches: the test has false positives (parsed in full, harmlessly)
    /// but no false negatives for anything Claude Code writes.
    /// </summary>
    public static bool MayCarryUsage(ReadOnlySpan<byte> line) =>
        line.IndexOf("\"usage\""u8) >= 0 || line.IndexOf("\"assistant\""u8) >= 0;

    /// <summary>
    /// True when a line that cannot carry usage may still be a "limit reached" notice written as a <c>system</c> line
    /// (notices written as <c>&lt;synthetic&gt;</c> assistant lines already pass <see cref="MayCarryUsage"/>). False
    /// positives are parsed in full, harmlessly.
    /// </summary>
    public static bool MayCarryLimit(ReadOnlySpan<byte> line) =>
        line.IndexOf("\"system\""u8) >= 0 && (line.IndexOf("imit reached"u8) >= 0 || line.IndexOf("hit your"u8) >= 0 || line.IndexOf("imit will reset"u8) >= 0);

    /// <summary>A line that cannot carry usage must still be one JSON object: it starts with <c>{</c>, ends with
    /// <c>}</c> and its braces and brackets outside strings balance. (Torn and truncated writes fail this.)</summary>
    public static LineOutcome Check(ReadOnlySpan<byte> line)
    {
        var trimmed = line.Trim(" \t\r"u8);
        if (trimmed[0] != (byte)'{')
        {
            return LineOutcome.Fail("not a JSON object");
        }

        var depth = 0;
        var inString = false;
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (inString)
            {
                var next = trimmed[i..].IndexOfAny(StringEnd);
                if (next < 0)
                {
                    return LineOutcome.Fail("invalid JSON: a string is not closed (the line is truncated)");
                }

                i += next;
                if (trimmed[i] == (byte)'\\')
                {
                    i++;
                }
                else
                {
                    inString = false;
                }

                continue;
            }

            var structural = trimmed[i..].IndexOfAny(Structure);
            if (structural < 0)
            {
                break;
            }

            i += structural;
            switch (trimmed[i])
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                default:
                    depth--;
                    if (depth == 0 && i != trimmed.Length - 1)
                    {
                        return LineOutcome.Fail("invalid JSON: unexpected content after the JSON object");
                    }

                    if (depth < 0)
                    {
                        return LineOutcome.Fail("invalid JSON: unbalanced brackets");
                    }

                    break;
            }
        }

        return depth == 0 && !inString ? LineOutcome.Skip : LineOutcome.Fail("invalid JSON: the object is not closed (the line is truncated)");
    }
}
