using Tally.Core.Agents;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;

namespace Tally.Server;

/// <summary>What the server answers from: the index, the prices, the user's settings, and where transcripts are synced from.</summary>
public sealed record ServerData
{
    /// <summary>The index the API reads (the server never disposes it).</summary>
    public required IUsageStore Store { get; init; }

    /// <summary>More connections to the index for read requests (<see cref="Reader"/>); null to read from <see cref="Store"/> alone.</summary>
    public StoreReaders? Readers { get; init; }

    /// <summary>The store a request that only reads uses: the readers in turn, else <see cref="Store"/>. Anything that
    /// writes, and the change probe (SQLite's data version is per connection), uses <see cref="Store"/>.</summary>
    public IUsageStore Reader() => Readers?.Next() ?? Store;

    /// <summary>The price catalog in force.</summary>
    public required PriceCatalog Catalog { get; init; }

    /// <summary>The zone days are cut in when a request names none.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The cost mode used when a request names none.</summary>
    public CostMode CostMode { get; init; }

    /// <summary>Display names for projects, keyed by path or last folder name.</summary>
    public IReadOnlyDictionary<string, string> ProjectAliases { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Agent card settings (auth mode, overrides, labels, active window); project aliases come from <see cref="ProjectAliases"/>.</summary>
    public AgentSettings Agents { get; init; } = new();

    /// <summary>Workspaces (ids or names) counted as Claude Code in billed views beside the one named "Claude Code"
    /// (<c>admin.claudeCodeWorkspaces</c>).</summary>
    public IReadOnlyCollection<string>? ClaudeCodeWorkspaces { get; init; }

    /// <summary>The first day of a week for weekly figures.</summary>
    public DayOfWeek StartOfWeek { get; init; } = DayOfWeek.Monday;

    /// <summary>The clock ("now" for statuses and default ranges).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Reads working trees' uncommitted changes for agent cards; null to skip them.</summary>
    public IWorktreeChanges? WorktreeChanges { get; init; }

    /// <summary>Rate-limit readings for <c>/api/costs/rate-limits</c>; null when no source of them is configured.</summary>
    public IRateLimitSignals? RateLimits { get; init; }

    /// <summary>The user's plans and budgets files; null when the server has none (default plans, no budgets).</summary>
    public IUserFiles? UserFiles { get; init; }
    /// <summary>The budgets (for resuming a paused one); null when none are configured.</summary>
    public Tally.Proxy.ProxyBudgets? Budgets { get; init; }

    /// <summary>The metering proxy's settings; null when the proxy is not served.</summary>
    public Tally.Proxy.ProxyOptions? Proxy { get; init; }

    /// <summary>Where the index is kept in sync from; null when the server only reads the index (<c>--no-sync</c>).</summary>
    public SyncSources? Sync { get; init; }
}

/// <summary>What the server's own sync reads and writes.</summary>
/// <param name="IndexFile">The index file (the sync opens its own connection to it).</param>
/// <param name="Roots">The Claude Code data folders (each holding <c>projects/</c>).</param>
/// <param name="Resolver">Maps working directories to projects.</param>
public sealed record SyncSources(string IndexFile, IReadOnlyList<string> Roots, ProjectResolver Resolver)
{
    /// <summary>Runs after each sync that read something (and after each full sync): the budget check and the
    /// rate-limit alerts every command's sync is followed by. A failure is logged and the next sync runs it again.</summary>
    public Func<SyncReport, CancellationToken, Task>? AfterSync { get; init; }

    /// <summary>Where the server answers commands asking whether the index is current (see
    /// <see cref="Tally.Ingest.Sync.FreshnessSocket.PathFor"/>); null to not answer.</summary>
    public string? FreshnessSocket { get; init; }
}
