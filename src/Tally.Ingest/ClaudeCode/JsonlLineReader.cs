using System.Buffers;
using System.IO.Hashing;
using System.Text.Json;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// Reads complete lines from a stream, from a given offset, in a buffer of at most <see cref="MaxBufferedLine"/> bytes.
/// A longer line is checked piece by piece as it streams past (<see cref="StreamedLineCheck"/>) and given back as its
/// outcome (<see cref="StreamedOutcome"/>), unless it may carry usage: only then is it read whole. A last line with no newline is returned only when it is already a complete JSON value: a writer in the middle
/// of a line has always left invalid JSON, so a half-written line is never consumed. Reading on from just after
/// such a line, the newline that arrives later ends that line and is not a line of its own.
/// </summary>
internal sealed class JsonlLineReader : IDisposable
{
    private const int InitialBuffer = 256 * 1024;

    /// <summary>The longest line held whole unless it may carry usage (1 MiB).</summary>
    public const int DefaultMaxBufferedLine = 1024 * 1024;

    /// <summary>Bytes at the start of a file that <see cref="PrefixHashes"/> covers (the cursor's full-hash limit).</summary>
    public const int PrefixLimit = 1024 * 1024;

    /// <summary>Bytes of the head hash.</summary>
    public const int HeadLength = 4096;

    private XxHash3? _prefix;
    private byte[]? _head;
    private int _headLength;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _afterUnterminatedLine;
    private bool _readWhole;
    private long _pendingStreamed;

    public JsonlLineReader(Stream stream, long offset, long lineNumber, int maxBufferedLine = DefaultMaxBufferedLine)
    {
        _stream = stream;
        MaxBufferedLine = maxBufferedLine;
        if (offset > 0)
        {
            _stream.Seek(offset - 1, SeekOrigin.Begin);
            _afterUnterminatedLine = _stream.ReadByte() != '\n';
        }

        _stream.Seek(offset, SeekOrigin.Begin);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBuffer, maxBufferedLine));
        if (offset == 0)
        {
            // Reading from the start, the cursor's fingerprint is hashed as the bytes go by, not read again later.
            _prefix = new XxHash3();
            _head = ArrayPool<byte>.Shared.Rent(HeadLength);
        }

        Offset = offset;
        LineNumber = lineNumber;
    }

    /// <summary>Lines longer than this are checked as they stream past instead of being held (unless they may carry usage).</summary>
    public int MaxBufferedLine { get; }

    /// <summary>
    /// When the last line returned was too long to hold: what its checks found (and the line itself is empty). Null when
    /// the line was returned whole.
    /// </summary>
    public LineOutcome? StreamedOutcome { get; private set; }

    /// <summary>The offset just after the last line returned.</summary>
    public long Offset { get; private set; }

    /// <summary>The number of the last line returned (1-based; 0 before any).</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// The hash of the first bytes (up to <see cref="HeadLength"/>) and of every byte before <see cref="Offset"/>, when
    /// this reader started at the file's start and <see cref="Offset"/> is at most <see cref="PrefixLimit"/>; else null
    /// (the caller reads what it needs).
    /// </summary>
    public (ulong Head, ulong Consumed)? PrefixHashes =>
        _prefix is null || Offset > PrefixLimit ? null : (XxHash3.HashToUInt64(_head!.AsSpan(0, _headLength)), _prefix.GetCurrentHashAsUInt64());

    /// <summary>Bytes after <see cref="Offset"/> that form an incomplete last line.</summary>
    public long PendingBytes => _pendingStreamed > 0 ? _pendingStreamed : _eof ? _end - _start : 0;

    /// <summary>Returns the next complete line without its line ending, or false at the end of what is complete.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        StreamedOutcome = null;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(available[..newline]);
                Consume(newline + 1);
                _readWhole = false;
                if (_afterUnterminatedLine)
                {
                    // The line before the offset was consumed without its newline: this is its line ending.
                    _afterUnterminatedLine = false;
                    if (line.Trim(" \t\r"u8).IsEmpty)
                    {
                        continue;
                    }
                }

                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (available.Length > 0 && IsCompleteJson(available))
                {
                    line = TrimCarriageReturn(available);
                    Consume(available.Length);
                    _afterUnterminatedLine = false;
                    LineNumber++;
                    return true;
                }

                line = default;
                return false;
            }

            if (available.Length >= MaxBufferedLine && !_readWhole)
            {
                line = default;
                switch (StreamLine())
                {
                    case Streamed.Line:
                        _afterUnterminatedLine = false;
                        LineNumber++;
                        return true;
                    case Streamed.Incomplete:
                        return false;
                    default:
                        continue; // it may carry usage: it is read again from its start, whole
                }
            }

            Fill();
        }
    }

    private enum Streamed
    {
        Line,
        Incomplete,
        ReadWhole,
    }

    /// <summary>
    /// Checks the line that fills the buffer as it streams through the buffer. When it ends, it is consumed and its
    /// outcome kept; when it may carry usage, the stream goes back to its start to read it whole; when the file ends
    /// first and what was read is not one complete JSON object, nothing is consumed (a writer is still writing it).
    /// </summary>
    private Streamed StreamLine()
    {
        var lineStart = Offset;
        var length = 0L;
        var check = new StreamedLineCheck();

        // The prefix hash follows consumed bytes only; past a streamed line the caller hashes what it needs itself.
        _prefix = null;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            check.Feed(newline >= 0 ? available[..newline] : available);
            if (check.MayCarryUsage)
            {
                _stream.Seek(lineStart, SeekOrigin.Begin);
                _start = _end = 0;
                _eof = false;
                _readWhole = true;
                return Streamed.ReadWhole;
            }

            if (newline >= 0)
            {
                _start += newline + 1;
                Offset = lineStart + length + newline + 1;
                StreamedOutcome = check.Finish();
                return Streamed.Line;
            }

            length += available.Length;
            _start = _end = 0;
            var read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                if (check.CompleteObject)
                {
                    var outcome = check.Finish();
                    Offset = lineStart + length; // a complete object without its newline: the file's last line
                    StreamedOutcome = outcome;
                    return Streamed.Line;
                }

                _pendingStreamed = length;
                return Streamed.Incomplete;
            }

            _end = read;
        }
    }

    private void Consume(int count)
    {
        if (_prefix is not null && Offset < PrefixLimit)
        {
            var consumed = _buffer.AsSpan(_start, (int)Math.Min(count, PrefixLimit - Offset));
            _prefix.Append(consumed);
            if (_headLength < HeadLength)
            {
                var take = Math.Min(HeadLength - _headLength, consumed.Length);
                consumed[..take].CopyTo(_head.AsSpan(_headLength));
                _headLength += take;
            }
        }

        _start += count;
        Offset += count;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private static bool IsCompleteJson(ReadOnlySpan<byte> text)
    {
        var trimmed = text.Trim(" \t\r"u8);
        if (trimmed.Length == 0 || trimmed[0] != (byte)'{' || trimmed[^1] != (byte)'}')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == trimmed.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_head is not null)
        {
            ArrayPool<byte>.Shared.Return(_head);
            _head = null;
            _prefix = null;
        }
    }
}
