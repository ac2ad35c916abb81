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
        var scan = default(ShapeScan);
        scan.Feed(line);
        return scan.Finish();
    }

    /// <summary>
    /// <see cref="Check"/> over a line given in pieces, so a line of any length is checked in a fixed buffer. Feed
    /// the pieces in order, then <see cref="Finish"/>.
    /// </summary>
    public struct ShapeScan
    {
        private int _depth;
        private bool _started;
        private bool _inString;
        private bool _escaped;
        private bool _closed;
        private string? _error;

        public void Feed(ReadOnlySpan<byte> piece)
        {
            var i = 0;
            while (i < piece.Length && _error is null)
            {
                if (_escaped)
                {
                    _escaped = false;
                    i++;
                    continue;
                }

                if (_inString)
                {
                    var next = piece[i..].IndexOfAny(StringEnd);
                    if (next < 0)
                    {
                        return;
                    }

                    i += next;
                    _escaped = piece[i] == (byte)'\\';
                    _inString = _escaped;
                    i++;
                    continue;
                }

                if (!_started || _closed)
                {
                    var content = piece[i..].IndexOfAnyExcept(" \t\r"u8);
                    if (content < 0)
                    {
                        return;
                    }

                    i += content;
                    if (_closed)
                    {
                        _error = "invalid JSON: unexpected content after the JSON object";
                        return;
                    }

                    if (piece[i] != (byte)'{')
                    {
                        _error = "not a JSON object";
                        return;
                    }

                    _started = true;
                }

                var structural = piece[i..].IndexOfAny(Structure);
                if (structural < 0)
                {
                    return;
                }

                i += structural;
                switch (piece[i])
                {
                    case (byte)'"':
                        _inString = true;
                        break;
                    case (byte)'{' or (byte)'[':
                        _depth++;
                        break;
                    default:
                        _depth--;
                        if (_depth < 0)
                        {
                            _error = "invalid JSON: unbalanced brackets";
                            return;
                        }

                        _closed = _depth == 0;
                        break;
                }

                i++;
            }
        }

        public readonly LineOutcome Finish() =>
            _error is not null ? LineOutcome.Fail(_error)
            : !_started ? LineOutcome.Fail("not a JSON object")
            : _inString ? LineOutcome.Fail("invalid JSON: a string is not closed (the line is truncated)")
            : _depth != 0 ? LineOutcome.Fail("invalid JSON: the object is not closed (the line is truncated)")
            : LineOutcome.Skip;
    }
}
