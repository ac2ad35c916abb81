using System.Text;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

public class TranscriptLineParserTests
{
    private static readonly SourceContext Context = new("/data/projects/-home-a-app/s1.jsonl", "s1", null);

    private static string Line(string usage = """{"input_tokens":3,"cache_creation_input_tokens":12000,"cache_read_input_tokens":15000,"cache_creation":{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":10000},"output_tokens":412,"service_tier":"standard"}""", string id = "\"msg_1\"", string model = "\"claude-sonnet-4-5-20250929\"", string timestamp = "\"2026-11-20T09:50:04.000Z\"", string extra = "") =>
        $$$"""{"parentUuid":"p","isSidechain":false,"cwd":"/home/a/app","sessionId":"sess","version":"2.0.14","gitBranch":"main","message":{"id":{{{id}}},"type":"message","role":"assistant","model":{{{model}}},"content":[{"type":"thinking","thinking":"x"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{}},{"type":"tool_use","id":"toolu_2","name":"Bash","input":{}},{"type":"tool_use","id":"toolu_3","name":"Read","input":{}}],"usage":{{{usage}}}},"requestId":"req_1","type":"assistant","uuid":"u-1","timestamp":{{{timestamp}}}{{{extra}}}}""";

    private static LineOutcome Parse(string line) => TranscriptLineParser.Parse(Encoding.UTF8.GetBytes(line), Context);

    [Fact]
    public void An_assistant_line_becomes_a_record_with_every_field()
    {
        var record = Parse(Line()).Record!;
        Assert.Equal("m:msg_1", record.Key);
        Assert.Equal("req_1", record.RequestId);
        Assert.Equal("sess", record.SessionId);
        Assert.Equal("/home/a/app", record.Cwd);
        Assert.Equal("main", record.GitBranch);
        Assert.Equal("claude-sonnet-4-5-20250929", record.Model);
        Assert.Equal(new(3, 412, 2000, 10000, 15000), record.Tokens);
        Assert.False(record.CacheSplitMissing);
        Assert.Equal(["Read", "Bash"], record.Tools);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 50, 4, TimeSpan.Zero), record.Timestamp);
        Assert.Equal("standard", record.ServiceTier);
    }

    [Fact]
    public void A_flat_cache_write_with_an_all_zero_split_counts_as_5_minute_writes()
    {
        var record = Parse(Line("""{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}""")).Record!;
        Assert.Equal(3000, record.Tokens.CacheWrite5m);
        Assert.Equal(0, record.Tokens.CacheWrite1h);
        Assert.True(record.CacheSplitMissing);
    }

    [Fact]
    public void A_flat_cache_write_with_no_split_counts_as_5_minute_writes()
    {
        var record = Parse(Line("""{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":3000}""")).Record!;
        Assert.Equal(3000, record.Tokens.CacheWrite5m);
        Assert.True(record.CacheSplitMissing);
    }

    [Fact]
    public void Web_search_speed_and_geo_are_read()
    {
        var record = Parse(Line("""{"input_tokens":1,"output_tokens":2,"server_tool_use":{"web_search_requests":3,"web_fetch_requests":1},"speed":"fast","inference_geo":"us","service_tier":"batch"}""")).Record!;
        Assert.Equal(3, record.WebSearchRequests);
        Assert.Equal(1, record.WebFetchRequests);
        Assert.Equal("fast", record.Speed);
        Assert.Equal("us", record.InferenceGeo);
        Assert.Equal("batch", record.ServiceTier);
    }

    [Fact]
    public void A_line_without_a_message_id_is_keyed_by_its_uuid_and_keeps_its_cost()
    {
        var line = Line(id: "null", extra: ",\"costUSD\":0.05");
        var record = Parse(line).Record!;
        Assert.Equal("u:u-1", record.Key);
        Assert.Equal(0.05m, record.ReportedCostUsd);
    }

    [Fact]
    public void A_line_without_id_or_uuid_is_keyed_by_its_bytes()
    {
        var line = Line(id: "null").Replace("\"uuid\":\"u-1\",", "", StringComparison.Ordinal);
        var first = Parse(line).Record!;
        Assert.StartsWith("h:", first.Key, StringComparison.Ordinal);
        Assert.Equal(first.Key, Parse(line).Record!.Key);
    }

    [Fact]
    public void Synthetic_lines_and_lines_without_usage_are_skipped()
    {
        Assert.Equal(LineOutcome.Skip, Parse(Line(model: "\"<synthetic>\"")));
        Assert.Equal(LineOutcome.Skip, Parse("""{"type":"user","message":{"role":"user","content":"hi"},"uuid":"x","timestamp":"2026-11-20T09:50:04Z"}"""));
        Assert.Equal(LineOutcome.Skip, Parse("""{"type":"summary","summary":"s"}"""));
        Assert.Equal(LineOutcome.Skip, Parse("   "));
    }

    [Theory]
    [InlineData("{\"type\":\"assistant\",", "invalid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"a\":1} trailing", "invalid JSON")]
    [InlineData("{\"a\":1}{\"b\":2}", "invalid JSON")]
    public void Malformed_json_is_a_problem(string line, string reason)
    {
        var outcome = Parse(line);
        Assert.Null(outcome.Record);
        Assert.Contains(reason, outcome.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"input_tokens":"3","output_tokens":1}""", "usage.input_tokens should be a number but is a string")]
    [InlineData("""{"input_tokens":-3,"output_tokens":1}""", "usage.input_tokens should be a whole number")]
    [InlineData("""{"input_tokens":1.5,"output_tokens":1}""", "usage.input_tokens should be a whole number")]
    [InlineData("""{"input_tokens":1,"cache_creation":{"ephemeral_1h_input_tokens":true}}""", "ephemeral_1h_input_tokens should be a number but is a boolean")]
    [InlineData("42", "message.usage should be an object but is a number")]
    public void Wrong_types_in_usage_are_problems(string usage, string reason)
    {
        var outcome = Parse(Line(usage));
        Assert.Null(outcome.Record);
        Assert.Contains(reason, outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_types_in_fields_that_matter_are_problems()
    {
        var outcome = Parse(Line(id: "123"));
        Assert.Contains("message.id should be a string but is a number", outcome.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"yesterday\"", "is not an ISO-8601")]
    [InlineData("1732000000", "is not an ISO-8601")]
    [InlineData("null", "without a timestamp")]
    public void Bad_timestamps_are_problems(string timestamp, string reason)
    {
        var outcome = Parse(Line(timestamp: timestamp));
        Assert.Null(outcome.Record);
        Assert.Contains(reason, outcome.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2026-11-20T09:50:04Z\",\"timestamp\":7", null)]
    [InlineData("7,\"timestamp\":\"2026-11-20T09:50:04Z\"", null)]
    [InlineData("\"yesterday\",\"timestamp\":\"2026-11-20T09:50:04Z\"", null)]
    [InlineData("\"2026-11-20T09:50:04Z\",\"timestamp\":null", "usage line without a timestamp: not counted")]
    [InlineData("\"2026-11-20T09:50:04Z\",\"timestamp\":\"yesterday\"", "timestamp 'yesterday' is not an ISO-8601 date and time: not counted")]
    [InlineData("7", "timestamp 'a number' is not an ISO-8601 date and time: not counted")]
    [InlineData("\"2026-11-20T09:50:04\\u005A\"", null)]
    [InlineData("\"yester\\u0064ay\"", "timestamp 'yesterday' is not an ISO-8601 date and time: not counted")]
    public void A_repeated_or_escaped_timestamp_is_judged_by_its_last_value(string timestamp, string? problem)
    {
        var outcome = Parse(Line(timestamp: timestamp));
        Assert.Equal(problem, outcome.Problem);
        if (problem is null)
        {
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 50, 4, TimeSpan.Zero), outcome.Record!.Timestamp);
        }
    }

    [Fact]
    public void Missing_model_with_tokens_is_a_problem()
    {
        var line = Line().Replace("\"model\":\"claude-sonnet-4-5-20250929\",", "", StringComparison.Ordinal);
        Assert.Contains("without message.model", Parse(line).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_reported_and_a_line_whose_usage_still_reads_is_counted()
    {
        var bytes = Encoding.UTF8.GetBytes(Line()).ToList();
        var at = bytes.IndexOf((byte)'x');
        bytes[at] = 0xFF;
        var outcome = TranscriptLineParser.Parse(bytes.ToArray(), Context);
        Assert.NotNull(outcome.Record);
        Assert.Contains("invalid UTF-8 at byte", outcome.Problem, StringComparison.Ordinal);
        Assert.Contains("usage counted", outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_line_without_usage_is_reported()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"user","message":{"content":"a?b"}}""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC3;
        Assert.Contains("invalid UTF-8", TranscriptLineParser.Parse(bytes, Context).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Subagent_files_give_the_parent_session_and_the_agent()
    {
        var context = SourceContext.FromPath("/d/projects/-x/5f0c/subagents/agent-7d3f2a.jsonl");
        Assert.Equal("5f0c", context.SessionId);
        Assert.Equal("7d3f2a", context.AgentId);
        var line = Line().Replace("\"sessionId\":\"sess\",", "", StringComparison.Ordinal);
        var record = TranscriptLineParser.Parse(Encoding.UTF8.GetBytes(line), context).Record!;
        Assert.Equal("5f0c", record.SessionId);
        Assert.Equal("7d3f2a", record.AgentId);
    }

    [Theory]
    [InlineData("""{"type":"user","message":{"role":"user","content":"a } b ] c"}}""")]
    [InlineData("""{"type":"user","message":{"content":"quote \" } and backslash \\"},"toolUseResult":{"stdout":"{\"usage\":1}"}}""")]
    [InlineData("""  {"type":"summary","summary":"x"}  """)]
    public void A_well_formed_line_that_cannot_carry_usage_is_skipped_without_a_problem(string line)
    {
        var outcome = Parse(line);
        Assert.Null(outcome.Record);
        Assert.Null(outcome.Problem);
    }

    [Theory]
    [InlineData("""{"type":"user","message":{"content":"abc""", "not closed")]
    [InlineData("""{"type":"user","message":{"content":"abc"}""", "not closed")]
    [InlineData("""{"type":"user"}}""", "unexpected content")]
    [InlineData("""{"type":"user"} {"type":"user"}""", "unexpected content")]
    [InlineData("""["type","user"]""", "not a JSON object")]
    [InlineData("""garbage""", "not a JSON object")]
    public void A_torn_line_that_cannot_carry_usage_is_still_reported(string line, string reason)
    {
        var outcome = Parse(line);
        Assert.Null(outcome.Record);
        Assert.Contains(reason, outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_lines_with_a_usage_key_or_an_assistant_type_are_parsed_in_full()
    {
        Assert.True(LineShape.MayCarryUsage("""{"message":{"usage":{}}}"""u8));
        Assert.True(LineShape.MayCarryUsage("""{"type":"assistant","message":"x"}"""u8));
        Assert.False(LineShape.MayCarryUsage("""{"type":"user","message":{"content":"see \"usage\" and \"assistant\""}}"""u8));
    }
}
