using System.Text;
using Tally.Core.Pricing;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

/// <summary>What a sync adds to each record while the line is parsed: project, price, path-aware content hash.</summary>
public class RecordCompletionTests
{
    private static string Line(string cwd, string id) =>
        $$$"""{"cwd":{{{cwd}}},"sessionId":"sess","message":{"id":"{{{id}}}","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":1000,"output_tokens":100,"server_tool_use":{"web_search_requests":2},"service_tier":"batch"}},"type":"assistant","uuid":"u-{{{id}}}","timestamp":"2026-11-20T09:50:04.000Z"}""";

    [Fact]
    public void Each_line_gets_the_project_of_its_own_working_directory_as_it_changes_within_a_file()
    {
        var context = new SourceContext("/d/projects/-gone-app/s.jsonl", "s", null)
        {
            Completion = new RecordCompletion(PriceCatalog.Embedded, new ProjectResolver(), "-gone-app"),
        };
        var cwds = new[] { "\"/gone/app/.worktrees/a\"", "\"/gone/app/.worktrees/a\"", "\"/gone/other\"", "null", "\"  \"", "\"/gone/app/.worktrees/a\"" };
        var records = cwds.Select((cwd, i) => TranscriptLineParser.Parse(Encoding.UTF8.GetBytes(Line(cwd, $"msg_{i}")), context, i + 1).Record!).ToList();
        Assert.Equal(["/gone/app", "/gone/app", "/gone/other", "-gone-app", "-gone-app", "/gone/app"], records.Select(r => r.Project));
        Assert.Equal([1L, 2, 3, 4, 5, 6], records.Select(r => r.SourceLine));
    }

    [Fact]
    public void The_record_is_priced_as_the_catalog_prices_its_call()
    {
        var context = new SourceContext("/d/projects/-x/s.jsonl", "s", null) { Completion = new RecordCompletion(PriceCatalog.Embedded, new ProjectResolver(), "-x") };
        var record = TranscriptLineParser.Parse(Encoding.UTF8.GetBytes(Line("\"/x\"", "msg_1")), context).Record!;
        Assert.Equal(PriceCatalog.Embedded.Price(record.ToPricingRequest()), record.Price);
        Assert.Equal(PriceStatus.Priced, record.Price!.Status);
    }

    [Fact]
    public void Without_a_completion_a_record_has_its_line_hash_and_no_project_or_price()
    {
        var bytes = Encoding.UTF8.GetBytes(Line("\"/x\"", "msg_1"));
        var record = TranscriptLineParser.Parse(bytes, new SourceContext("/d/projects/-x/s.jsonl", "s", null)).Record!;
        Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64(bytes), record.ContentHash);
        Assert.Null(record.Project);
        Assert.Null(record.Price);
        Assert.Equal(0, record.SourceLine);
    }
}
