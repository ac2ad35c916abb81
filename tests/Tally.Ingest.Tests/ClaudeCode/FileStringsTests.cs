using System.Text;
using System.Text.Json;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

/// <summary>The strings a file's lines share: the same bytes give the same string instance; anything else its own value.</summary>
public class FileStringsTests
{
    private static string Line(string sessionId = "\"sess\"", string cwd = "\"/home/a/app\"", string model = "\"claude-sonnet-4-5-20250929\"", string tool = "\"Read\"", string id = "msg_1") =>
        $$$"""{"isSidechain":false,"cwd":{{{cwd}}},"sessionId":{{{sessionId}}},"version":"2.0.14","gitBranch":"main","message":{"id":"{{{id}}}","model":{{{model}}},"content":[{"type":"tool_use","id":"toolu_1","name":{{{tool}}},"input":{}}],"usage":{"input_tokens":3,"output_tokens":4,"service_tier":"standard"}},"requestId":"req_1","type":"assistant","uuid":"u-1","timestamp":"2026-11-20T09:50:04.000Z"}""";

    private static Tally.Core.Usage.UsageRecord Parse(string line, SourceContext context) =>
        TranscriptLineParser.Parse(Encoding.UTF8.GetBytes(line), context).Record!;

    [Fact]
    public void Lines_of_one_file_with_the_same_values_share_one_string_per_value()
    {
        var context = new SourceContext("/p/s.jsonl", "s", null);
        var first = Parse(Line(id: "msg_1"), context);
        var second = Parse(Line(id: "msg_2"), context);
        Assert.Same(first.SessionId, second.SessionId);
        Assert.Same(first.Cwd, second.Cwd);
        Assert.Same(first.GitBranch, second.GitBranch);
        Assert.Same(first.ClientVersion, second.ClientVersion);
        Assert.Same(first.Model, second.Model);
        Assert.Same(first.ServiceTier, second.ServiceTier);
        Assert.Same(first.Tools[0], second.Tools[0]);
    }

    [Fact]
    public void The_lines_of_one_response_share_its_ids_and_key_and_the_next_response_has_its_own()
    {
        var context = new SourceContext("/p/s.jsonl", "s", null);
        var records = new[] { "msg_1", "msg_1", "msg_2", "msg_1", "msg_12" }.Select(id => Parse(Line(id: id), context)).ToList();
        Assert.Equal(["m:msg_1", "m:msg_1", "m:msg_2", "m:msg_1", "m:msg_12"], records.Select(r => r.Key));
        Assert.Equal(["msg_1", "msg_1", "msg_2", "msg_1", "msg_12"], records.Select(r => r.MessageId));
        Assert.Same(records[0].Key, records[1].Key);
        Assert.Same(records[0].MessageId, records[1].MessageId);
        Assert.Same(records[0].RequestId, records[1].RequestId);
    }

    [Fact]
    public void A_session_that_changes_mid_file_gives_each_line_its_own_value()
    {
        var context = new SourceContext("/p/s.jsonl", "s", null);
        var values = new[] { "a", "a", "b", "a", "ab", "b" };
        var records = values.Select((v, i) => Parse(Line(sessionId: $"\"{v}\"", cwd: $"\"/w/{v}\"", model: $"\"m-{v}\"", id: $"msg_{i}"), context)).ToList();
        Assert.Equal(values, records.Select(r => r.SessionId));
        Assert.Equal(values.Select(v => "/w/" + v), records.Select(r => r.Cwd));
        Assert.Equal(values.Select(v => "m-" + v), records.Select(r => r.Model));
        Assert.Same(records[0].SessionId, records[1].SessionId);
    }

    [Fact]
    public void Escaped_values_decode_like_any_other_and_equal_escapes_share_a_string()
    {
        var context = new SourceContext("/p/s.jsonl", "s", null);
        var plain = Parse(Line(cwd: "\"C:/w/x\""), context);
        var escaped = Parse(Line(cwd: "\"C:\\\\w\\u005Cx\"", id: "msg_2"), context);
        var again = Parse(Line(cwd: "\"C:\\\\w\\u005Cx\"", id: "msg_3"), context);
        var other = Parse(Line(cwd: "\"C:\\\\w\\\\x\"", id: "msg_4"), context);
        Assert.Equal("C:/w/x", plain.Cwd);
        Assert.Equal("C:\\w\\x", escaped.Cwd);
        Assert.Same(escaped.Cwd, again.Cwd);
        Assert.Equal("C:\\w\\x", other.Cwd);
    }

    [Fact]
    public void Tool_names_are_remembered_as_a_small_set_and_a_new_one_takes_the_oldest_place()
    {
        var recent = new RecentStrings(2);
        var read = (string json) =>
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            return recent.Read(ref reader);
        };
        var read1 = read("\"Read\"");
        var bash1 = read("\"Bash\"");
        Assert.Same(read1, read("\"Read\""));
        Assert.Same(bash1, read("\"Bash\""));
        var edit = read("\"Edit\"");
        Assert.Equal("Edit", edit);
        Assert.Same(bash1, read("\"Bash\""));
        Assert.Same(edit, read("\"Edit\""));
        var read2 = read("\"Read\"");
        Assert.Equal("Read", read2);
        Assert.NotSame(read1, read2);
    }

    [Fact]
    public void Each_record_keeps_its_own_tool_names_though_the_lines_collect_them_in_one_list()
    {
        var context = new SourceContext("/p/s.jsonl", "s", null);
        var first = Parse(Line(tool: "\"Read\"", id: "msg_1"), context);
        var second = Parse(Line(tool: "\"Bash\"", id: "msg_2"), context);
        var none = Parse(Line(tool: "\"\"", id: "msg_3"), context);
        var third = Parse(Line(tool: "\"Edit\"", id: "msg_4"), context);
        Assert.Equal(["Read"], first.Tools);
        Assert.Equal(["Bash"], second.Tools);
        Assert.Empty(none.Tools);
        Assert.Equal(["Edit"], third.Tools);
    }

    [Fact]
    public void Each_context_has_its_own_strings()
    {
        var first = Parse(Line(), new SourceContext("/p/a.jsonl", "a", null));
        var second = Parse(Line(), new SourceContext("/p/b.jsonl", "b", null));
        Assert.NotSame(first.Cwd, second.Cwd);
        Assert.Equal(first.Cwd, second.Cwd);
    }
}
