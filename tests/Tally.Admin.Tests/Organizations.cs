namespace Tally.Admin.Tests;

/// <summary>Organizations the fake Admin API serves.</summary>
internal static class Organizations
{
    public static readonly DateOnly Day1 = new(2026, 11, 18);
    public static readonly DateOnly Day2 = new(2026, 11, 19);

    /// <summary>
    /// The seed pipeline's organization: two days of use in two workspaces (one of them the default) plus the Claude Code
    /// workspace and a Console (no key) call. The Console shows $162.00 for the two days.
    /// </summary>
    public static void Seed(FakeAdminApi api)
    {
        api.Workspaces.Add(("wrkspc_prod", "Production"));
        api.Workspaces.Add(("wrkspc_cc", "Claude Code"));
        api.ApiKeys.Add(("apikey_prod", "prod-backend", "wrkspc_prod"));
        api.ApiKeys.Add(("apikey_default", "scripts", null));
        api.ApiKeys.Add(("apikey_cc_ana", "claude_code_key_ana", "wrkspc_cc"));
        foreach (var day in new[] { Day1, Day2 })
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            api.UsageRows.Add(new(at, "claude-sonnet-4-5-20250929", "wrkspc_prod", "apikey_prod", Input: 1_000_000, Output: 200_000, Write5m: 10_000, Write1h: 5_000, CacheRead: 400_000, WebSearches: 3));
            api.UsageRows.Add(new(at.AddHours(2), "claude-haiku-4-5-20251001", null, "apikey_default", Input: 500_000, Output: 50_000));
            api.UsageRows.Add(new(at.AddHours(3), "claude-opus-4-6", "wrkspc_cc", "apikey_cc_ana", Input: 100_000, Output: 80_000, CacheRead: 2_000_000));
            api.UsageRows.Add(new(at.AddHours(4), "claude-sonnet-4-5-20250929", null, null, Input: 10_000, Output: 2_000));

            // 8100 cents a day = $81.00; with fractional cents.
            api.CostRows.Add(new(day, "wrkspc_prod", "Claude Sonnet 4.5 Usage - Input Tokens", "3000.12345", "claude-sonnet-4-5-20250929", "uncached_input_tokens"));
            api.CostRows.Add(new(day, "wrkspc_prod", "Claude Sonnet 4.5 Usage - Output Tokens", "2999.87655", "claude-sonnet-4-5-20250929", "output_tokens"));
            api.CostRows.Add(new(day, null, "Claude Haiku 4.5 Usage - Input Tokens", "50", "claude-haiku-4-5-20251001", "uncached_input_tokens"));
            api.CostRows.Add(new(day, "wrkspc_cc", "Claude Opus 4.6 Usage - Output Tokens", "2000", "claude-opus-4-6", "output_tokens"));
            api.CostRows.Add(new(day, "wrkspc_prod", "Web Search Usage", "50", CostType: "web_search"));
        }

        api.ClaudeCode[Day1] =
        [
            """
            {"date":"2026-11-18T00:00:00Z","actor":{"type":"user_actor","email_address":"ana@example.com"},"organization_id":"org_1","customer_type":"api","terminal_type":"vscode","is_remote":false,
             "core_metrics":{"num_sessions":4,"lines_of_code":{"added":120,"removed":30},"commits_by_claude_code":2,"pull_requests_by_claude_code":1},
             "tool_actions":{"edit_tool":{"accepted":9,"rejected":1},"write_tool":{"accepted":3,"rejected":0},"future_tool":{"accepted":1,"rejected":2}},
             "model_breakdown":[{"model":"claude-opus-4-6","tokens":{"input":100,"output":200,"cache_read":300,"cache_creation":400},"estimated_cost":{"amount":186,"currency":"USD"}}]}
            """,
            """
            {"date":"2026-11-18T00:00:00Z","actor":{"type":"api_actor","api_key_name":"ci-bot"},"organization_id":"org_1","customer_type":"api","terminal_type":"non-interactive",
             "core_metrics":{"num_sessions":1,"lines_of_code":{"added":5,"removed":0},"commits_by_claude_code":0,"pull_requests_by_claude_code":0},
             "tool_actions":{},"model_breakdown":[{"model":"claude-haiku-4-5","tokens":{"input":10,"output":10,"cache_read":0,"cache_creation":0},"estimated_cost":{"amount":0.5,"currency":"USD"}}]}
            """,
        ];
    }
}
