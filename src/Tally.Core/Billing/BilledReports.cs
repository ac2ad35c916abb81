namespace Tally.Core.Billing;

/// <summary>The names of the Admin API's reports in the sync state (<see cref="IBilledStore.BilledCompleteUntilAsync"/>).</summary>
public static class BilledReports
{
    /// <summary>The usage report (1-hour buckets).</summary>
    public const string Usage = "usage";

    /// <summary>The cost report (UTC days).</summary>
    public const string Cost = "cost";

    /// <summary>The Claude Code analytics report (UTC days).</summary>
    public const string ClaudeCode = "claude_code";
}
