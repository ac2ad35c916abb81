using System.Text.Unicode;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// The checks <see cref="TranscriptLineParser"/> gives a line that cannot carry usage (valid UTF-8, one balanced JSON
/// object), made on a line given in pieces: a line too long to hold (a tool result of many megabytes) is checked in
/// the reader's fixed buffer. It also watches for the marks of a line that can carry usage; such a line must be read
/// whole and parsed instead (<see cref="MayCarryUsage"/>).
/// </summary>
internal sealed class StreamedLineCheck
{
    // The longest mark (<c>"assistant"</c>) less one: how much of a piece's end can start a mark the next one ends.
    private const int Seam = 10;

    private readonly byte[] _tail = new byte[Seam];
    private readonly byte[] _utf8Carry = new byte[4];
    private int _tailLength;
    private int _carryLength;
    private long _fed;
    private string? _encodingProblem;
    private LineShape.ShapeScan _shape;

    /// <summary>True once a piece held a mark of a line that can carry usage.</summary>
    public bool MayCarryUsage { get; private set; }

    public void Feed(ReadOnlySpan<byte> piece)
    {
        WatchForMarks(piece);
        if (_encodingProblem is null)
        {
            CheckUtf8(piece);
        }

        _shape.Feed(piece);
        _fed += piece.Length;
    }

    /// <summary>True when the pieces so far make one complete JSON object (its encoding aside).</summary>
    public bool CompleteObject => _shape.Finish().Problem is null;

    /// <summary>What the line comes to once every piece has been fed (never a record: such lines are parsed whole).</summary>
    public LineOutcome Finish()
    {
        if (_encodingProblem is null && _carryLength > 0)
        {
            _encodingProblem = $"invalid UTF-8 at byte {_fed - _carryLength}";
        }

        return _encodingProblem is not null ? LineOutcome.Fail(_encodingProblem) : _shape.Finish();
    }

    private void WatchForMarks(ReadOnlySpan<byte> piece)
    {
        if (MayCarryUsage)
        {
            return;
        }

        Span<byte> seam = stackalloc byte[Seam * 2];
        var head = piece[..Math.Min(Seam, piece.Length)];
        _tail.AsSpan(0, _tailLength).CopyTo(seam);
        head.CopyTo(seam[_tailLength..]);
        var joined = seam[..(_tailLength + head.Length)];
        MayCarryUsage = LineShape.MayCarryUsage(joined) || LineShape.MayCarryUsage(piece);

        // Keep the last bytes of everything fed so far for the next seam (a short piece is all in the joined seam).
        var last = piece.Length >= Seam ? piece[^Seam..] : joined[Math.Max(0, joined.Length - Seam)..];
        last.CopyTo(_tail);
        _tailLength = last.Length;
    }

    private void CheckUtf8(ReadOnlySpan<byte> piece)
    {
        var at = _fed;
        if (_carryLength > 0)
        {
            // Finish the sequence the last piece cut, from this piece's first bytes.
            var need = SequenceLength(_utf8Carry[0]) - _carryLength;
            var take = Math.Min(need, piece.Length);
            piece[..take].CopyTo(_utf8Carry.AsSpan(_carryLength));
            _carryLength += take;
            if (take < need)
            {
                return;
            }

            if (!Utf8.IsValid(_utf8Carry.AsSpan(0, _carryLength)))
            {
                _encodingProblem = $"invalid UTF-8 at byte {at - (_carryLength - take)}";
                return;
            }

            _carryLength = 0;
            piece = piece[take..];
            at += take;
        }

        var cut = IncompleteTail(piece);
        if (!Utf8.IsValid(piece[..cut]))
        {
            _encodingProblem = $"invalid UTF-8 at byte {at + TranscriptLineParser.FirstInvalidUtf8(piece[..cut])}";
            return;
        }

        piece[cut..].CopyTo(_utf8Carry);
        _carryLength = piece.Length - cut;
    }

    /// <summary>Where a sequence the piece's end cuts short begins (the piece's length when none is).</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> piece)
    {
        for (var back = 1; back <= Math.Min(3, piece.Length); back++)
        {
            var b = piece[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: look further back for its lead
            }

            return SequenceLength(b) > back ? piece.Length - back : piece.Length;
        }

        return piece.Length;
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0xC0 => 1,
        < 0xE0 => 2,
        < 0xF0 => 3,
        _ => 4,
    };
}
