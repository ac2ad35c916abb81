using Tally.Core.Billing;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Server.Tests.Harness;

/// <summary>
/// What <c>tally admin sync</c> would have stored for a small organization on 2026-11-18 and 19 (UTC): usage in a
/// production workspace, the "Claude Code" workspace and the Console (no key), costs with a web-search charge and
/// fractional cents, and two Claude Code actors. The 18th's Opus figures equal the sample transcripts' own.
/// </summary>
public static class BilledSeed
{
    /// <summary>The first seeded day.</summary>
    public static readonly DateOnly First = new(2026, 11, 18);

    /// <summary>The last seeded day.</summary>
    public static readonly DateOnly Last = new(2026, 11, 19);

    /// <summary>The seeded costs' total, in dollars.</summary>
    public const decimal TotalCost = 0.16874m + 12.345m + 0.015m + 0.03m + 1.2m;

    /// <summary>Stores the batch in the index at <paramref name="indexFile"/> (created when missing).</summary>
    public static async Task SeedAsync(string indexFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(indexFile)!);
        await using var store = SqliteUsageStore.Open(indexFile);
        await store.StoreBilledAsync(Batch(), CancellationToken.None);
    }

    /// <summary>The batch.</summary>
    public static BilledBatch Batch()
    {
        var hour = new DateTimeOffset(2026, 11, 18, 0, 0, 0, TimeSpan.Zero);
        return new BilledBatch
        {
            UsageWindow = (hour, hour.AddHours(59)),
            Usage =
            [
                Usage(hour.AddHours(9), "claude-opus-4-1-20250805", "wrkspc_prod", "apikey_prod", new TokenCounts(16, 850, 3_000, 0, 19_000)),
                Usage(hour.AddHours(10), "claude-sonnet-4-5-20250929", "wrkspc_cc", "apikey_cc", new TokenCounts(200_000, 40_000, 0, 5_000, 1_000_000)),
                Usage(hour.AddHours(38), "claude-sonnet-4-5-20250929", null, null, new TokenCounts(5_000, 1_000, 0, 0, 0)),
                Usage(hour.AddHours(39), "claude-haiku-4-5-20251001", "wrkspc_prod", "apikey_prod", new TokenCounts(30_000, 2_000, 0, 0, 0)) with { WebSearchRequests = 3 },
            ],
            CostWindow = (First, Last.AddDays(2)),
            Costs =
            [
                Cost(First, "wrkspc_prod", "Claude Opus 4.1 Usage - Input Tokens", "claude-opus-4-1-20250805", "uncached_input_tokens", 0.16874m),
                Cost(First, "wrkspc_cc", "Claude Sonnet 4.5 Usage - Output Tokens", "claude-sonnet-4-5-20250929", "output_tokens", 12.345m),
                Cost(Last, null, "Claude Sonnet 4.5 Usage - Input Tokens", "claude-sonnet-4-5-20250929", "uncached_input_tokens", 0.015m),
                Cost(Last, "wrkspc_prod", "Claude Haiku 4.5 Usage - Input Tokens", "claude-haiku-4-5-20251001", "uncached_input_tokens", 1.2m),
                Cost(Last, "wrkspc_prod", "Web Search", null, null, 0.03m) with { CostType = "web_search" },
            ],
            ClaudeCodeWindow = (First, Last.AddDays(2)),
            ClaudeCode =
            [
                new ClaudeCodeDay { Day = First, ActorType = "user_actor", Actor = "ana@example.com", CustomerType = "api", Sessions = 3, LinesAdded = 120, LinesRemoved = 30, Commits = 2, PullRequests = 1, ToolsAccepted = 13, ToolsRejected = 3, Tokens = 1_245_000, EstimatedCostUsd = 1.86m },
                new ClaudeCodeDay { Day = Last, ActorType = "user_actor", Actor = "ana@example.com", CustomerType = "api", Sessions = 1, LinesAdded = 10, Commits = 0, ToolsAccepted = 4, ToolsRejected = 0, Tokens = 20_000, EstimatedCostUsd = 0.07m },
                new ClaudeCodeDay { Day = Last, ActorType = "api_actor", Actor = "ci-bot", CustomerType = "api", Sessions = 1, Tokens = 5_000, EstimatedCostUsd = 0.5m },
            ],
            Workspaces = [new AdminWorkspace("wrkspc_prod", "Production"), new AdminWorkspace("wrkspc_cc", "Claude Code")],
            ApiKeys = [new AdminApiKey("apikey_prod", "prod-backend", "wrkspc_prod", "active"), new AdminApiKey("apikey_cc", "claude-code", "wrkspc_cc", "active")],
            CompleteUntil = new Dictionary<string, DateTimeOffset>
            {
                [BilledReports.Usage] = hour.AddHours(59),
                [BilledReports.Cost] = hour.AddDays(3),
                [BilledReports.ClaudeCode] = hour.AddDays(3),
            },
        };
    }

    private static BilledUsageRow Usage(DateTimeOffset bucket, string model, string? workspace, string? key, TokenCounts tokens) =>
        new() { Bucket = bucket, Model = model, WorkspaceId = workspace, ApiKeyId = key, ServiceTier = "standard", ContextWindow = "0-200k", Tokens = tokens };

    private static BilledCostRow Cost(DateOnly day, string? workspace, string description, string? model, string? tokenType, decimal dollars) =>
        new() { Day = day, WorkspaceId = workspace, Description = description, CostType = "tokens", Model = model, TokenType = tokenType, ServiceTier = "standard", ContextWindow = "0-200k", AmountUsd = dollars };
}
