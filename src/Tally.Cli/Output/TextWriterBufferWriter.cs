using System.Buffers;
using System.Text;

namespace Tally.Cli.Output;

/// <summary>
/// A buffer of UTF-8 bytes (a <see cref="System.Text.Json.Utf8JsonWriter"/>'s output) that lands on a
/// <see cref="TextWriter"/> a chunk at a time: a document of megabytes (a session report) is never held whole, nor
/// copied as its buffer grows, nor turned into one string. A character split across two chunks is decoded when its last
/// byte arrives; <see cref="Complete"/> writes what is left.
/// </summary>
internal sealed class TextWriterBufferWriter(TextWriter writer) : IBufferWriter<byte>
{
    /// <summary>The chunk size: below the large-object heap's threshold, and a few pipe writes' worth.</summary>
    private const int ChunkBytes = 32 * 1024;

    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private readonly char[] _chars = new char[ChunkBytes];
    private byte[] _bytes = new byte[ChunkBytes];
    private int _written;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _bytes.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    /// <summary>Writes every byte advanced so far, and any character left incomplete (as U+FFFD, as a whole decode would).</summary>
    public void Complete()
    {
        Drain(flush: true);
    }

    private Memory<byte> Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_bytes.Length - _written < needed)
        {
            Drain(flush: false);
            if (_bytes.Length < needed)
            {
                _bytes = new byte[needed];
            }
        }

        return _bytes.AsMemory(_written);
    }

    private void Drain(bool flush)
    {
        ReadOnlySpan<byte> bytes = _bytes.AsSpan(0, _written);
        do
        {
            _decoder.Convert(bytes, _chars, flush, out var bytesUsed, out var charsUsed, out _);
            if (charsUsed > 0)
            {
                writer.Write(_chars.AsSpan(0, charsUsed));
            }

            bytes = bytes[bytesUsed..];
        }
        while (!bytes.IsEmpty);

        _written = 0;
    }
}
