using Tally.Core.Usage;

namespace Tally.Ingest.Demo;

/// <summary>What <see cref="CorpusGenerator.Write"/> wrote, and the totals a correct ingester must find in it.</summary>
public sealed record CorpusSummary
{
    /// <summary>The data directory (use it as <c>CLAUDE_CONFIG_DIR</c>); transcripts are under its <c>projects</c> folder.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>The options the corpus was generated with.</summary>
    public required CorpusOptions Options { get; init; }

    /// <summary>Transcript files written (sessions, resumed sessions and subagents).</summary>
    public required int Files { get; init; }

    /// <summary>Lines written, malformed ones included.</summary>
    public required long Lines { get; init; }

    /// <summary>Bytes written.</summary>
    public required long Bytes { get; init; }

    /// <summary>Session files (resumed ones included, subagent files not).</summary>
    public required int Sessions { get; init; }

    /// <summary>Session files that start with turns copied verbatim from an earlier session.</summary>
    public required int ResumedSessions { get; init; }

    /// <summary>Subagent files (<c>&lt;session&gt;/subagents/agent-&lt;id&gt;.jsonl</c>).</summary>
    public required int SubagentFiles { get; init; }

    /// <summary>Lines carrying <c>message.usage</c>, copies and streamed repeats included.</summary>
    public required long UsageLines { get; init; }

    /// <summary>User lines written by a person (prompts), tool results and copies excluded.</summary>
    public required long UserPrompts { get; init; }

    /// <summary><c>&lt;synthetic&gt;</c> "usage limit reached" lines.</summary>
    public required int LimitLines { get; init; }

    /// <summary>Lines that are not valid JSON (only when <see cref="CorpusOptions.IncludeMalformedLines"/>).</summary>
    public required int MalformedLines { get; init; }

    /// <summary>The de-duplicated totals per UTC day and model, ordered by day then model.</summary>
    public required IReadOnlyList<ExpectedDailyUsage> Expected { get; init; }

    /// <summary>The number of distinct API calls over the whole corpus.</summary>
    public int Requests => Expected.Sum(static e => e.Requests);

    /// <summary>The de-duplicated tokens over the whole corpus.</summary>
    public TokenCounts TotalTokens => Expected.Aggregate(default(TokenCounts), static (sum, e) => sum + e.Tokens);

    /// <summary>Requests whose prompt exceeded 200,000 tokens.</summary>
    public int LongContextRequests => Expected.Sum(static e => e.LongContextRequests);

    /// <summary>Web searches over the whole corpus.</summary>
    public int WebSearchRequests => Expected.Sum(static e => e.WebSearchRequests);
}
