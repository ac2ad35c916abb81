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
    public void A_quote_is_reused_only_for_a_call_priced_the_same_and_every_change_of_a_priced_field_is_priced_again()
    {
        var catalog = PriceCatalog.Embedded;
        var completion = new RecordCompletion(catalog, new ProjectResolver(), null);
        var at = new DateTimeOffset(2026, 11, 20, 9, 50, 4, TimeSpan.Zero);
        var tokens = new Tally.Core.Usage.TokenCounts(300_000, 100, 2000, 1000, 5000);
        (string Model, DateTimeOffset At, Tally.Core.Usage.TokenCounts Tokens, int Web, string? Tier, string? Speed, string? Geo)[] calls =
        [
            ("claude-sonnet-4-5-20250929", at, tokens, 0, null, null, null),
            ("claude-sonnet-4-5-20250929", at.AddHours(3), tokens, 0, null, null, null),
            ("claude-sonnet-4-5-20250929", at.AddHours(15), tokens, 0, null, null, null),
            ("claude-sonnet-4-5-20250929", new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), tokens, 0, null, null, null),
            ("claude-opus-4-1-20250805", at, tokens, 0, null, null, null),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 0, null, null, null),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 3, null, null, null),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 3, "batch", null, null),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 3, "batch", "fast", null),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 3, "batch", "fast", "us"),
            ("claude-opus-4-1-20250805", at, tokens with { Input = 10 }, 3, "batch", "fast", "us"),
            ("claude-unknown-99", at, tokens, 0, null, null, null),
            ("<synthetic>", at, tokens, 0, null, null, null),
            ("claude-sonnet-4-5-20250929", at, tokens, 0, null, null, null),
        ];
        static PricingRequest Request((string Model, DateTimeOffset At, Tally.Core.Usage.TokenCounts Tokens, int Web, string? Tier, string? Speed, string? Geo) c) => new()
        {
            Model = c.Model,
            Timestamp = c.At,
            Tokens = c.Tokens,
            WebSearchRequests = c.Web,
            ServiceTier = c.Tier,
            Speed = c.Speed,
            InferenceGeo = c.Geo,
        };

        var quotes = calls.Select(c => completion.Price(Request(c))).ToList();
        Assert.Equal(calls.Select(c => catalog.Price(Request(c))), quotes);
        Assert.Same(quotes[0], quotes[1]);
        Assert.Same(quotes[9], quotes[10]);
        Assert.Equal(quotes.Count - 2, quotes.Distinct(ReferenceEqualityComparer.Instance).Count());
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

    [Fact]
    public void The_tie_break_is_the_hash_of_the_joined_parts_seeded_with_the_line_hash()
    {
        (string?, string?, string?)[] triples =
        [
            ("sess", null, "/home/a/app"),
            (null, null, null),
            ("5f0c", "7d3f2a", "-home-a-app"),
            ("sessé", "agent-ü", "/home/ü/€/𝄞"),
            ("a\ud800", "\udc00b", "c\ud83d"),
            (new string('x', 300), "y", new string('z', 700)),
        ];
        foreach (var (session, agent, project) in triples)
        {
            var completion = new RecordCompletion(PriceCatalog.Embedded, new ProjectResolver(), null);
            foreach (var seed in new[] { 0UL, 1UL, 0x9E3779B97F4A7C15UL, ulong.MaxValue })
            {
                Assert.Equal(Expected(session, agent, project, seed), completion.TieBreak(session, agent, project, seed));
            }
        }
    }

    [Fact]
    public void The_tie_break_follows_every_change_of_session_agent_or_project_within_a_file()
    {
        var completion = new RecordCompletion(PriceCatalog.Embedded, new ProjectResolver(), null);
        var parts = new[] { "s1", "s2", "a1", "/p/one", "/p/two", "s1\0a1" };
        (string?, string?, string?)[] sequence =
        [
            (parts[0], null, parts[3]), (parts[0], null, parts[3]), (parts[1], null, parts[3]), (parts[1], parts[2], parts[3]),
            (parts[1], parts[2], parts[4]), (parts[1], parts[2], null), (parts[5], null, null), (parts[0], parts[2], null),
            (new string(parts[0]), null, new string(parts[3])), (parts[0], null, parts[3]),
        ];
        var seed = 17UL;
        foreach (var (session, agent, project) in sequence)
        {
            Assert.Equal(Expected(session, agent, project, seed), completion.TieBreak(session, agent, project, seed));
            seed = seed * 31 + 7;
        }
    }

    /// <summary>The tie-break as indexes hold it: any change to these bytes re-orders existing records.</summary>
    private static ulong Expected(string? session, string? agent, string? project, ulong seed) =>
        System.IO.Hashing.XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{session}\0{agent}\0{project}"), unchecked((long)seed));
}
