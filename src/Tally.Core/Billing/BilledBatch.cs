namespace Tally.Core.Billing;

/// <summary>
/// What one Admin API sync fetched, to be stored in one transaction. Each report's window replaces what the store held
/// for that window (rows the API no longer returns go), so a re-sync never adds to earlier figures.
/// </summary>
public sealed record BilledBatch
{
    /// <summary>The usage window (1-hour buckets; start inclusive, end exclusive), or null when usage was not fetched.</summary>
    public (DateTimeOffset From, DateTimeOffset Until)? UsageWindow { get; init; }

    /// <summary>Usage rows, every one inside <see cref="UsageWindow"/>.</summary>
    public IReadOnlyList<BilledUsageRow> Usage { get; init; } = [];

    /// <summary>The cost window (UTC days; start inclusive, end exclusive), or null when costs were not fetched.</summary>
    public (DateOnly From, DateOnly Until)? CostWindow { get; init; }

    /// <summary>Cost rows, every one inside <see cref="CostWindow"/>.</summary>
    public IReadOnlyList<BilledCostRow> Costs { get; init; } = [];

    /// <summary>The Claude Code window (UTC days; start inclusive, end exclusive), or null when not fetched.</summary>
    public (DateOnly From, DateOnly Until)? ClaudeCodeWindow { get; init; }

    /// <summary>Claude Code rows, every one inside <see cref="ClaudeCodeWindow"/>.</summary>
    public IReadOnlyList<ClaudeCodeDay> ClaudeCode { get; init; } = [];

    /// <summary>Workspaces (upserted by id).</summary>
    public IReadOnlyList<AdminWorkspace> Workspaces { get; init; } = [];

    /// <summary>API keys (upserted by id).</summary>
    public IReadOnlyList<AdminApiKey> ApiKeys { get; init; } = [];

    /// <summary>Where each report is complete up to after this sync (the next incremental sync starts from here, less a
    /// trailing window), by report name (<c>usage</c>, <c>cost</c>, <c>claude_code</c>).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> CompleteUntil { get; init; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
}
