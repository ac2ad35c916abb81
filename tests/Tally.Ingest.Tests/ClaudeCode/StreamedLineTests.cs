using System.Text;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

/// <summary>Lines too long to hold are checked piece by piece, and come to what the whole-line checks say.</summary>
public class StreamedLineTests
{
    private static readonly string[] Lines =
    [
        """{"type":"user","message":{"content":"plain"}}""",
        """{"type":"user","message":{"content":"quote \" and \\ and {[ inside"}}""",
        """{"type":"user","a":[1,2,{"b":"c"}],"d":null}   """,
        """{"type":"user","message":{"content":"truncated""",
        """{"type":"user","message":{"content":"x"}""",
        """{"type":"user"}}""",
        """{"type":"user"} {"type":"user"}""",
        """["not","an","object"]""",
        """  {"type":"user","s":"ends in a backslash \\"}""",
        """{"type":"user","s":"é ü 漢字 🙂 mixed"}""",
    ];

    public static TheoryData<int> LineIndexes() => [.. Enumerable.Range(0, Lines.Length)];

    [Theory]
    [MemberData(nameof(LineIndexes))]
    public void The_shape_check_in_two_pieces_agrees_with_the_whole_line_at_every_cut(int index)
    {
        var bytes = Encoding.UTF8.GetBytes(Lines[index]);
        var whole = LineShape.Check(bytes);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var scan = default(LineShape.ShapeScan);
            scan.Feed(bytes.AsSpan(0, cut));
            scan.Feed(bytes.AsSpan(cut));
            Assert.Equal(whole, scan.Finish());
        }
    }

    [Theory]
    [MemberData(nameof(LineIndexes))]
    public void The_streamed_check_in_pieces_of_any_size_agrees_with_the_parser(int index)
    {
        var bytes = Encoding.UTF8.GetBytes(Lines[index]);
        var parsed = TranscriptLineParser.Parse(bytes, new SourceContext("/p/s.jsonl", "s", null));
        foreach (var size in new[] { 1, 2, 3, 5, 7, 64 })
        {
            var check = new StreamedLineCheck();
            for (var at = 0; at < bytes.Length; at += size)
            {
                check.Feed(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)));
            }

            Assert.False(check.MayCarryUsage);
            Assert.Equal(parsed, check.Finish());
        }
    }

    [Fact]
    public void A_multibyte_character_cut_anywhere_is_valid_and_a_bad_byte_is_found_across_pieces()
    {
        var good = Encoding.UTF8.GetBytes("""{"s":"漢🙂é"}""");
        for (var cut = 0; cut <= good.Length; cut++)
        {
            var check = new StreamedLineCheck();
            check.Feed(good.AsSpan(0, cut));
            check.Feed(good.AsSpan(cut));
            Assert.Equal(LineOutcome.Skip, check.Finish());
        }

        byte[] bad = [.. "{\"s\":\"ab"u8, 0xE6, 0xBC, (byte)'x', .. "\"}"u8];
        for (var cut = 0; cut <= bad.Length; cut++)
        {
            var check = new StreamedLineCheck();
            check.Feed(bad.AsSpan(0, cut));
            check.Feed(bad.AsSpan(cut));
            Assert.Equal("invalid UTF-8 at byte 8", check.Finish().Problem);
        }

        var cutShort = new StreamedLineCheck();
        cutShort.Feed([.. "{\"s\":\"ab\"}"u8, 0xF0, 0x9F]);
        Assert.Equal("invalid UTF-8 at byte 10", cutShort.Finish().Problem);
    }

    [Fact]
    public void A_usage_mark_split_between_pieces_is_seen()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"assistant","message":{"usage":{"input_tokens":1}}}""");
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var check = new StreamedLineCheck();
            check.Feed(bytes.AsSpan(0, cut));
            check.Feed(bytes.AsSpan(cut));
            Assert.True(check.MayCarryUsage, $"cut at {cut}");
        }

        var small = new StreamedLineCheck();
        foreach (var b in "{\"x\":1,\"usage\":{}}"u8.ToArray())
        {
            small.Feed([b]);
        }

        Assert.True(small.MayCarryUsage);
    }

    private static (List<(string Line, LineOutcome? Streamed)> Lines, long Offset, long Pending) ReadAll(byte[] bytes, int maxBufferedLine)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = new JsonlLineReader(stream, 0, 0, maxBufferedLine);
        var lines = new List<(string, LineOutcome?)>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add((Encoding.UTF8.GetString(line), reader.StreamedOutcome));
        }

        return (lines, reader.Offset, reader.PendingBytes);
    }

    [Fact]
    public void The_reader_streams_long_lines_but_reads_a_long_usage_line_whole()
    {
        var longUser = """{"type":"user","message":{"content":" """ + new string('x', 500) + "\"}}";
        var longTruncated = """{"type":"user","message":{"content":" """ + new string('y', 500);
        var longUsage = """{"type":"assistant","message":{"content":" """ + new string('z', 500) + "\",\"usage\":{\"input_tokens\":1}}}";
        var text = "{\"a\":1}\n" + longUser + "\n" + longTruncated + "\n" + longUsage + "\n{\"b\":2}\n";
        var (lines, offset, _) = ReadAll(Encoding.UTF8.GetBytes(text), maxBufferedLine: 64);

        Assert.Equal(5, lines.Count);
        Assert.Equal(("{\"a\":1}", null), lines[0]);
        Assert.Equal(("", LineOutcome.Skip), lines[1]);
        Assert.Equal("", lines[2].Line);
        Assert.Equal("invalid JSON: a string is not closed (the line is truncated)", lines[2].Streamed?.Problem);
        Assert.Equal((longUsage, null), lines[3]);
        Assert.Equal(("{\"b\":2}", null), lines[4]);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), offset);
    }

    [Fact]
    public void A_long_half_written_last_line_is_not_consumed_and_a_complete_one_is()
    {
        var head = "{\"a\":1}\n";
        var partial = """{"type":"user","message":{"content":" """ + new string('x', 500);
        var (lines, offset, pending) = ReadAll(Encoding.UTF8.GetBytes(head + partial), maxBufferedLine: 64);
        Assert.Single(lines);
        Assert.Equal(head.Length, offset);
        Assert.Equal(partial.Length, pending);

        var complete = partial + "\"}}";
        (lines, offset, _) = ReadAll(Encoding.UTF8.GetBytes(head + complete), maxBufferedLine: 64);
        Assert.Equal(2, lines.Count);
        Assert.Equal(LineOutcome.Skip, lines[1].Streamed);
        Assert.Equal(head.Length + complete.Length, offset);
    }
}
