using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

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
            if (Vector256.IsHardwareAccelerated)
            {
                FeedBlocks(piece);
            }
            else
            {
                FeedScalar(piece);
            }
        }

        /// <summary>
        /// The same check 64 bytes at a time: each block's quotes, backslashes, brackets and blanks become bit masks, a
        /// walk over its quotes and backslashes alone (in order, as strings and escapes depend on what came before)
        /// tells the quotes that open or close strings, a prefix XOR of those marks every byte inside a string, and only
        /// the brackets outside strings are walked for depth. A block without a backslash needs no walk at all. Tool
        /// results are long strings full of escapes: the byte-by-byte search restarted at every one of them.
        /// </summary>
        private void FeedBlocks(ReadOnlySpan<byte> piece)
        {
            var i = 0;
            for (; i + 64 <= piece.Length && _error is null; i += 64)
            {
                FeedBlock(piece.Slice(i, 64), 64);
            }

            if (i < piece.Length && _error is null)
            {
                Span<byte> last = stackalloc byte[64];
                last.Clear();
                piece[i..].CopyTo(last);
                FeedBlock(last, piece.Length - i);
            }
        }

        private void FeedBlock(ReadOnlySpan<byte> block, int length)
        {
            var valid = length == 64 ? ulong.MaxValue : (1UL << length) - 1;
            var low = Vector256.Create(block);
            var high = Vector256.Create(block[32..]);
            var quote = Mask(low, high, (byte)'"') & valid;
            var backslash = Mask(low, high, (byte)'\\') & valid;
            var open = (Mask(low, high, (byte)'{') | Mask(low, high, (byte)'[')) & valid;
            var close = (Mask(low, high, (byte)'}') | Mask(low, high, (byte)']')) & valid;
            var content = ~(Mask(low, high, (byte)' ') | Mask(low, high, (byte)'\t') | Mask(low, high, (byte)'\r')) & valid;

            if (_closed)
            {
                if (content != 0)
                {
                    _error = "invalid JSON: unexpected content after the JSON object";
                }

                return;
            }

            if (!_started)
            {
                if (content == 0)
                {
                    return;
                }

                if (block[BitOperations.TrailingZeroCount(content)] != (byte)'{')
                {
                    _error = "not a JSON object";
                    return;
                }

                _started = true;
            }

            // The quotes that open or close a string. Inside a string a backslash escapes the next byte (which may be
            // in the next block); outside one it is ignored, as by the byte-by-byte check.
            var startsInString = _inString;
            ulong toggles;
            if (backslash == 0 && !_escaped)
            {
                toggles = quote;
                _inString ^= (BitOperations.PopCount(quote) & 1) != 0;
            }
            else
            {
                toggles = 0;
                var events = quote | backslash;
                var skip = _escaped ? 1UL : 0;
                _escaped = false;
                while (events != 0)
                {
                    var at = BitOperations.TrailingZeroCount(events);
                    var bit = 1UL << at;
                    events &= events - 1;
                    if ((skip & bit) != 0)
                    {
                        continue;
                    }

                    if (!_inString)
                    {
                        if ((quote & bit) != 0)
                        {
                            _inString = true;
                            toggles |= bit;
                        }
                    }
                    else if ((backslash & bit) == 0)
                    {
                        _inString = false;
                        toggles |= bit;
                    }
                    else if (at == length - 1)
                    {
                        _escaped = true;
                    }
                    else
                    {
                        skip |= bit << 1;
                    }
                }
            }

            var inString = PrefixXor(toggles) ^ (startsInString ? ulong.MaxValue : 0);
            var structure = (open | close) & ~inString;
            while (structure != 0)
            {
                var at = BitOperations.TrailingZeroCount(structure);
                structure &= structure - 1;
                if ((open & (1UL << at)) != 0)
                {
                    _depth++;
                    continue;
                }

                _depth--;
                if (_depth < 0)
                {
                    _error = "invalid JSON: unbalanced brackets";
                    return;
                }

                if (_depth == 0)
                {
                    _closed = true;
                    if ((content & ~((2UL << at) - 1)) != 0)
                    {
                        _error = "invalid JSON: unexpected content after the JSON object";
                    }

                    // What follows the object is blank: no string is open after it.
                    _inString = false;
                    _escaped = false;
                    return;
                }
            }
        }

        /// <summary>Bit i set when byte i of the 64 is <paramref name="value"/>.</summary>
        private static ulong Mask(Vector256<byte> low, Vector256<byte> high, byte value) =>
            Vector256.Equals(low, Vector256.Create(value)).ExtractMostSignificantBits()
            | ((ulong)Vector256.Equals(high, Vector256.Create(value)).ExtractMostSignificantBits() << 32);

        /// <summary>Bit i is the XOR of bits 0 to i: set from an opening quote up to (not including) its closing one.</summary>
        private static ulong PrefixXor(ulong bits)
        {
            bits ^= bits << 1;
            bits ^= bits << 2;
            bits ^= bits << 4;
            bits ^= bits << 8;
            bits ^= bits << 16;
            bits ^= bits << 32;
            return bits;
        }

        /// <summary>The byte-by-byte check (where 256-bit vectors are not accelerated, and as the tests' reference).</summary>
        internal void FeedScalar(ReadOnlySpan<byte> piece)
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
