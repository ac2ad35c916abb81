using System.Text.Json;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// The last values of one string field in a transcript, each with the raw bytes it was read from: a value whose raw
/// bytes are the same as a remembered one's (escaped or not, equal bytes decode to equal text) is that string, not a
/// new one. A new value takes the place of the oldest, its bytes copied into that place's buffer. Not thread-safe.
/// </summary>
/// <param name="slots">How many values to remember: 1 for a field that keeps its value from line to line, a few for
/// one that cycles through a small set (tool names).</param>
internal sealed class RecentStrings(int slots = 1)
{
    private readonly byte[][] _raw = new byte[slots][];
    private readonly int[] _lengths = new int[slots];
    private readonly string?[] _values = new string?[slots];
    private int _next;

    /// <summary>The value of the string token the reader is on.</summary>
    public string Read(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        var raw = reader.ValueSpan;
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is { } known && raw.SequenceEqual(_raw[i].AsSpan(0, _lengths[i])))
            {
                return known;
            }
        }

        var value = reader.GetString()!;
        if (_raw[_next] is not { } buffer || buffer.Length < raw.Length)
        {
            buffer = _raw[_next] = new byte[Math.Max(raw.Length, 64)];
        }

        raw.CopyTo(buffer);
        _lengths[_next] = raw.Length;
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        return value;
    }
}
