using System.Text;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

public class JsonlLineReaderTests
{
    private static List<string> ReadAll(string text, long offset = 0) => ReadAll(Encoding.UTF8.GetBytes(text), offset, out _);

    private static List<string> ReadAll(byte[] bytes, long offset, out long end)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = new JsonlLineReader(stream, offset, 0);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        end = reader.Offset;
        return lines;
    }

    [Fact]
    public void Complete_lines_are_returned_without_their_line_endings()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", ""], ReadAll("{\"a\":1}\r\n{\"b\":2}\n\n"));
    }

    [Fact]
    public void A_half_written_last_line_is_not_consumed()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":");
        var lines = ReadAll(bytes, 0, out var end);
        Assert.Equal(["{\"a\":1}"], lines);
        Assert.Equal(8, end);
    }

    [Fact]
    public void A_last_line_without_newline_that_is_complete_json_is_consumed()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}");
        var lines = ReadAll(bytes, 0, out var end);
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines);
        Assert.Equal(bytes.Length, end);
    }

    [Fact]
    public void Resuming_after_a_last_line_consumed_without_its_newline_does_not_count_the_newline_as_a_line()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}\n");
        using var stream = new MemoryStream(bytes);
        using var reader = new JsonlLineReader(stream, 15, 2);
        Assert.True(reader.TryReadLine(out var line));
        Assert.Equal("{\"c\":3}", Encoding.UTF8.GetString(line));
        Assert.Equal(3, reader.LineNumber);
        Assert.Equal(bytes.Length, reader.Offset);
        Assert.False(reader.TryReadLine(out _));
    }

    [Fact]
    public void A_complete_last_line_ending_in_a_carriage_return_is_returned_without_it()
    {
        var lines = ReadAll(Encoding.UTF8.GetBytes("{\"a\":1}\r"), 0, out var end);
        Assert.Equal(["{\"a\":1}"], lines);
        Assert.Equal(8, end);
    }

    [Fact]
    public void Reading_resumes_at_an_offset()
    {
        Assert.Equal(["{\"b\":2}"], ReadAll("{\"a\":1}\n{\"b\":2}\n", 8));
    }

    [Fact]
    public void A_ten_megabyte_line_is_streamed_past_unless_it_may_carry_usage()
    {
        var big = "{\"t\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        var bigUsage = "{\"t\":\"" + new string('x', 10 * 1024 * 1024) + "\",\"usage\":{}}";
        var bytes = Encoding.UTF8.GetBytes(big + "\n" + bigUsage + "\n{\"a\":1}\n");
        using var stream = new MemoryStream(bytes);
        using var reader = new JsonlLineReader(stream, 0, 0);

        Assert.True(reader.TryReadLine(out var line));
        Assert.True(line.IsEmpty);
        Assert.Equal(LineOutcome.Skip, reader.StreamedOutcome);
        Assert.Equal(big.Length + 1, reader.Offset);

        Assert.True(reader.TryReadLine(out line));
        Assert.Equal(bigUsage.Length, line.Length);
        Assert.Null(reader.StreamedOutcome);

        Assert.True(reader.TryReadLine(out line));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(line));
        Assert.Equal(3, reader.LineNumber);
        Assert.Equal(bytes.Length, reader.Offset);
    }

    [Fact]
    public void Line_numbers_and_offsets_follow_the_lines()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{}\n{}\n{}\n"));
        using var reader = new JsonlLineReader(stream, 3, 1);
        Assert.True(reader.TryReadLine(out _));
        Assert.Equal(2, reader.LineNumber);
        Assert.Equal(6, reader.Offset);
    }
}
