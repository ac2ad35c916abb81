using System.Globalization;
using System.Text;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;

namespace Tally.Ingest.Tests.ClaudeCode;

/// <summary>
/// Transcripts as they really come: huge lines, broken bytes, wrong JSON types, odd timestamps, CRLF, and a last
/// line still being written. Each file is read through the ingester that a sync uses, cursor by cursor.
/// </summary>
public sealed class NastyInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Usage(string id, long output, string at = "2026-11-20T09:50:04.000Z", string usage = "", string message = "") =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"s1","version":"2.1.63","gitBranch":"main","type":"assistant","message":{{{(message.Length > 0 ? message : $$"""{"model":"claude-sonnet-4-5-20250929","id":"{{id}}","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"stop_reason":null,"usage":{{(usage.Length > 0 ? usage : $$"""{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000,"output_tokens":{{output}}}""")}}}""")}}},"requestId":"req_{{{id}}}","uuid":"u-{{{id}}}","timestamp":{{{(at.Length > 0 ? $"\"{at}\"" : "null")}}}}""");

    private static string WithTimestamp(string id, string timestampJson) =>
        Usage(id, 5).Replace("\"timestamp\":\"2026-11-20T09:50:04.000Z\"", "\"timestamp\":" + timestampJson, StringComparison.Ordinal);

    private static string User(string content) =>
        $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"s1","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"{{{content}}}","is_error":false}]},"uuid":"{{{Guid.NewGuid()}}}","timestamp":"2026-11-20T09:50:00.000Z"}""";

    private string NewFile(byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, "projects", "-home-a-app", "s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string NewFile(params string[] lines) => NewFile(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    /// <summary>Reads the file from <paramref name="cursor"/> as a sync would; returns what it found and the cursor to resume from.</summary>
    private static Read Ingest(string path, FileCursor? cursor = null)
    {
        var info = new FileInfo(path);
        var file = new TranscriptFile(path, info.Length, info.LastWriteTimeUtc.Ticks);
        var batches = new FileIngester(PriceCatalog.Embedded, new ProjectResolver(), maxRecordsPerBatch: 2).Read(file, cursor, CancellationToken.None).ToList();
        return new Read(batches.SelectMany(b => b.Records).ToList(), batches.SelectMany(b => b.Problems).ToList(), batches[^1].Next);
    }

    private sealed record Read(List<UsageRecord> Records, List<IngestProblem> Problems, FileCursor Cursor);

    [Fact]
    public void A_ten_megabyte_tool_result_between_two_usage_lines_is_read_and_both_usage_lines_count()
    {
        var path = NewFile(Usage("msg_1", 10), User(new string('x', 10 * 1024 * 1024)), Usage("msg_2", 20));
        var read = Ingest(path);
        Assert.Empty(read.Problems);
        Assert.Equal(["m:msg_1", "m:msg_2"], read.Records.Select(r => r.Key));
        Assert.Equal([1L, 3L], read.Records.Select(r => r.SourceLine));
        Assert.Equal(new FileInfo(path).Length, read.Cursor.Offset);
        Assert.Equal(3, read.Cursor.Lines);
    }

    [Fact]
    public void A_line_with_invalid_utf8_is_reported_with_file_line_and_reason_and_the_next_line_counts()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Usage("msg_1", 10) + "\n"));
        var broken = Encoding.UTF8.GetBytes(User("caf?"));
        broken[Array.IndexOf(broken, (byte)'?')] = 0xC3; // the first byte of a two-byte sequence, cut short
        bytes.AddRange(broken);
        bytes.Add((byte)'\n');
        bytes.AddRange([0xFF, 0xFE, (byte)'{', (byte)'\n']); // garbage that is not even JSON
        bytes.AddRange(Encoding.UTF8.GetBytes(Usage("msg_2", 20) + "\n"));
        var path = NewFile(bytes.ToArray());

        var read = Ingest(path);

        Assert.Equal(["m:msg_1", "m:msg_2"], read.Records.Select(r => r.Key));
        Assert.Equal([2L, 3L], read.Problems.Select(p => p.Line));
        Assert.All(read.Problems, p => Assert.Equal(path, p.File));
        Assert.Contains("invalid UTF-8 at byte", read.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("invalid UTF-8 at byte 0", read.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Equal(4, read.Records[1].SourceLine);
    }

    [Theory]
    [InlineData("""{"input_tokens":"3","output_tokens":1}""", "", "usage.input_tokens should be a number but is a string")]
    [InlineData("""{"input_tokens":3,"output_tokens":{"n":1}}""", "", "usage.output_tokens should be a number but is an object")]
    [InlineData("""{"input_tokens":3,"server_tool_use":{"web_search_requests":"2"}}""", "", "web_search_requests should be a number but is a string")]
    [InlineData("", """[{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":3}}]""", "message should be an object but is an array")]
    [InlineData("", "\"hello\"", "message should be an object but is a string")]
    [InlineData("", """{"model":["claude-sonnet-4-5-20250929"],"id":"msg_x","usage":{"input_tokens":3}}""", "message.model should be a string but is an array")]
    [InlineData("", """{"model":"claude-sonnet-4-5-20250929","id":"msg_x","usage":[3]}""", "message.usage should be an object but is an array")]
    public void Wrong_json_types_in_an_assistant_line_are_problems_with_reasons_and_the_next_line_counts(string usage, string message, string reason)
    {
        var path = NewFile(Usage("msg_x", 1, usage: usage, message: message), Usage("msg_2", 20));
        var read = Ingest(path);
        var problem = Assert.Single(read.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.Equal(["m:msg_2"], read.Records.Select(r => r.Key));
    }

    [Fact]
    public void A_message_that_is_not_an_object_on_a_line_that_is_not_an_assistant_line_is_ignored()
    {
        var path = NewFile("""{"type":"progress","message":[1,2],"timestamp":"2026-11-20T09:50:00.000Z"}""", """{"type":"queue-operation","message":"enqueue"}""", Usage("msg_2", 20));
        var read = Ingest(path);
        Assert.Empty(read.Problems);
        Assert.Single(read.Records);
    }

    [Theory]
    [InlineData("1763632204", "is not an ISO-8601 date and time")]
    [InlineData("true", "is not an ISO-8601 date and time")]
    [InlineData("{\"at\":\"2026-11-20T09:50:04Z\"}", "is not an ISO-8601 date and time")]
    [InlineData("\"2026-11-20\"", "'2026-11-20' is not an ISO-8601 date and time")]
    [InlineData("\"20/11/2026 09:50\"", "is not an ISO-8601 date and time")]
    [InlineData("\"2026-11-20T09:50:04.Z\"", "is not an ISO-8601 date and time")]
    [InlineData("\"2026-11-20T09:50:04+02:00:00\"", "is not an ISO-8601 date and time")]
    [InlineData("null", "usage line without a timestamp")]
    public void Bad_timestamps_are_problems_with_reasons_and_the_next_line_counts(string timestampJson, string reason)
    {
        var path = NewFile(WithTimestamp("msg_x", timestampJson), Usage("msg_2", 20));
        var read = Ingest(path);
        var problem = Assert.Single(read.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.Equal(["m:msg_2"], read.Records.Select(r => r.Key));
    }

    [Fact]
    public void A_usage_line_with_no_timestamp_field_is_a_problem()
    {
        var line = Usage("msg_x", 5).Replace(",\"timestamp\":\"2026-11-20T09:50:04.000Z\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("timestamp", line, StringComparison.Ordinal);
        var read = Ingest(NewFile(line, Usage("msg_2", 20)));
        Assert.Contains("without a timestamp", Assert.Single(read.Problems).Reason, StringComparison.Ordinal);
        Assert.Single(read.Records);
    }

    [Theory]
    [InlineData("2026-11-20T09:50:04Z", 0)]
    [InlineData("2026-11-20T09:50:04.1Z", 1_000_000)]
    [InlineData("2026-11-20T09:50:04.12Z", 1_200_000)]
    [InlineData("2026-11-20T09:50:04.123Z", 1_230_000)]
    [InlineData("2026-11-20T09:50:04.1234Z", 1_234_000)]
    [InlineData("2026-11-20T09:50:04.12345Z", 1_234_500)]
    [InlineData("2026-11-20T09:50:04.123456Z", 1_234_560)]
    [InlineData("2026-11-20T09:50:04.1234567Z", 1_234_567)]
    [InlineData("2026-11-20T09:50:04.12345678Z", 1_234_567)]
    [InlineData("2026-11-20T09:50:04.123456789Z", 1_234_567)]
    [InlineData("2026-11-20T09:50:04.999999999Z", 9_999_999)]
    public void Timestamps_with_zero_to_nine_fraction_digits_parse_to_the_exact_instant(string timestamp, long fractionTicks)
    {
        var read = Ingest(NewFile(Usage("msg_1", 5, at: timestamp)));
        Assert.Empty(read.Problems);
        var expected = new DateTimeOffset(2026, 11, 20, 9, 50, 4, TimeSpan.Zero).AddTicks(fractionTicks);
        Assert.Equal(expected.UtcTicks, Assert.Single(read.Records).Timestamp.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Records[0].Timestamp.Offset);
    }

    [Theory]
    [InlineData("2026-11-20T11:50:04.000+02:00", "2026-11-20T09:50:04")]
    [InlineData("2026-11-20T04:20:04.000-05:30", "2026-11-20T09:50:04")]
    [InlineData("2026-11-21T01:30:00+02:00", "2026-11-20T23:30:00")]
    [InlineData("2026-11-20T20:00:00.5-05:30", "2026-11-21T01:30:00.5")]
    [InlineData("2026-11-20T09:50:04+00:00", "2026-11-20T09:50:04")]
    public void Timestamps_with_offsets_parse_to_the_right_utc_instant_and_utc_day(string timestamp, string utc)
    {
        var read = Ingest(NewFile(Usage("msg_1", 5, at: timestamp)));
        Assert.Empty(read.Problems);
        var expected = DateTimeOffset.Parse(utc + "Z", CultureInfo.InvariantCulture);
        var record = Assert.Single(read.Records);
        Assert.Equal(expected, record.Timestamp);
        Assert.Equal(TimeSpan.Zero, record.Timestamp.Offset);
        Assert.Equal(expected.UtcDateTime.Date, record.Timestamp.UtcDateTime.Date);
    }

    [Fact]
    public void Crlf_line_endings_read_like_lf_with_the_same_line_numbers()
    {
        var lines = new[] { Usage("msg_1", 10), User("a"), "{broken", Usage("msg_2", 20) };
        var path = NewFile(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\r\n"))));
        var read = Ingest(path);
        Assert.Equal(["m:msg_1", "m:msg_2"], read.Records.Select(r => r.Key));
        Assert.Equal([1L, 4L], read.Records.Select(r => r.SourceLine));
        Assert.Equal(3, Assert.Single(read.Problems).Line);
        Assert.Equal(new FileInfo(path).Length, read.Cursor.Offset);

        var lf = Ingest(NewFile(lines));
        Assert.Equal(lf.Records.Select(r => (r.Key, r.SourceLine, r.Timestamp, r.Tokens, r.ContentHash)), read.Records.Select(r => (r.Key, r.SourceLine, r.Timestamp, r.Tokens, r.ContentHash)));
    }

    [Fact]
    public void A_complete_last_line_without_a_newline_is_consumed_once_and_the_lines_after_it_keep_their_numbers()
    {
        // The reader consumes a last line with no newline when it is already complete JSON (a writer in the middle
        // of a line always leaves invalid JSON); the newline that arrives later must not count as a line of its own.
        var path = NewFile(Encoding.UTF8.GetBytes(Usage("msg_1", 10) + "\n" + Usage("msg_2", 20)));
        var first = Ingest(path);
        Assert.Equal(["m:msg_1", "m:msg_2"], first.Records.Select(r => r.Key));
        Assert.Equal(new FileInfo(path).Length, first.Cursor.Offset);
        Assert.Equal(2, first.Cursor.Lines);

        File.AppendAllText(path, "\n{broken\n" + Usage("msg_3", 30) + "\n");
        var second = Ingest(path, first.Cursor);
        Assert.Equal(["m:msg_3"], second.Records.Select(r => r.Key));
        Assert.Equal(4, second.Records[0].SourceLine);
        Assert.Equal(3, Assert.Single(second.Problems).Line);
        Assert.Equal(4, second.Cursor.Lines);

        var fresh = Ingest(path);
        Assert.Equal(fresh.Cursor with { Size = 0, ModifiedTicks = 0 }, second.Cursor with { Size = 0, ModifiedTicks = 0 });
        Assert.Equal(fresh.Problems, second.Problems);
        Assert.Equal(4, fresh.Records.Single(r => r.Key == "m:msg_3").SourceLine);
    }

    [Fact]
    public void A_complete_last_line_ending_in_a_carriage_return_is_consumed_once_when_its_newline_arrives()
    {
        var path = NewFile(Encoding.UTF8.GetBytes(Usage("msg_1", 10) + "\r\n" + Usage("msg_2", 20) + "\r"));
        var first = Ingest(path);
        Assert.Equal(2, first.Records.Count);

        File.AppendAllText(path, "\n" + Usage("msg_3", 30) + "\r\n");
        var second = Ingest(path, first.Cursor);
        Assert.Equal(["m:msg_3"], second.Records.Select(r => r.Key));
        Assert.Equal(3, second.Records[0].SourceLine);
        Assert.Empty(second.Problems);

        var fresh = Ingest(path);
        Assert.Equal(fresh.Records.Select(r => (r.Key, r.SourceLine, r.ContentHash)), first.Records.Concat(second.Records).Select(r => (r.Key, r.SourceLine, r.ContentHash)));
    }

    [Fact]
    public void A_half_written_last_line_is_held_back_and_consumed_once_when_it_is_finished()
    {
        var line = Usage("msg_2", 20);
        var path = NewFile(Encoding.UTF8.GetBytes(Usage("msg_1", 10) + "\n" + line[..(line.Length / 2)]));
        var first = Ingest(path);
        Assert.Equal(["m:msg_1"], first.Records.Select(r => r.Key));
        Assert.Empty(first.Problems);
        Assert.Equal(1, first.Cursor.Lines);

        File.AppendAllText(path, line[(line.Length / 2)..]);
        var second = Ingest(path, first.Cursor);
        Assert.Equal(["m:msg_2"], second.Records.Select(r => r.Key));
        Assert.Equal(2, second.Records[0].SourceLine);

        File.AppendAllText(path, "\n");
        var third = Ingest(path, second.Cursor);
        Assert.Empty(third.Records);
        Assert.Empty(third.Problems);
        Assert.Equal(2, third.Cursor.Lines);
        Assert.Equal(new FileInfo(path).Length, third.Cursor.Offset);
    }
}
