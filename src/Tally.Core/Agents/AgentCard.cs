using Tally.Core.Storage;

namespace Tally.Core.Agents;

/// <summary>
/// One agent: a Claude Code session with its subagents, in its working directory (often a worktree), or every call the
/// metering proxy named one agent for (<see cref="Agent"/>, across its sessions). The figures cover the query's range;
/// <see cref="StartedAt"/> is the first call ever of the card's (earliest) session.
/// </summary>
public sealed record AgentCard
{
    /// <summary>The session id: the card's own, or the latest session of a proxy agent's calls (null when they carried
    /// none: an SDK client).</summary>
    public required string? SessionId { get; init; }

    /// <summary>The agent the metering proxy named (path, <c>x-tally-agent</c> or Claude Code's agent header); null for
    /// a card of a session's unnamed calls.</summary>
    public string? Agent { get; init; }

    /// <summary>What the agent is working on: a configured label, else its git branch; null when neither is known.</summary>
    public string? Label { get; init; }

    /// <summary>Where <see cref="Label"/> came from.</summary>
    public LabelSource LabelSource { get; init; }

    /// <summary>The working directory of the agent's latest call (the session's own agent's, when it made any).</summary>
    public string? Directory { get; init; }

    /// <summary>The project (repository) that directory belongs to.</summary>
    public string? Project { get; init; }

    /// <summary>The project's display name (its alias, else its folder name).</summary>
    public string? ProjectName { get; init; }

    /// <summary>The git branch of the latest call.</summary>
    public string? GitBranch { get; init; }

    /// <summary>Active when the agent or one of its subagents made a call within the active window.</summary>
    public AgentStatus Status { get; init; }

    /// <summary>The session's first call, even before the range.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The latest call in the range, by the agent or a subagent.</summary>
    public DateTimeOffset LastActivity { get; init; }

    /// <summary>How long the agent has been working: from <see cref="StartedAt"/> to <see cref="LastActivity"/>.</summary>
    public TimeSpan WorkingFor => LastActivity - StartedAt;

    /// <summary>The session's figures in the range, subagents included.</summary>
    public required AgentFigures Totals { get; init; }

    /// <summary>The session's own agent's figures (empty when only subagents made calls in the range).</summary>
    public required AgentFigures Main { get; init; }

    /// <summary>The subagents that made calls in the range, by first call.</summary>
    public required IReadOnlyList<SubagentLine> Subagents { get; init; }

    /// <summary>What the agent's calls are billed to.</summary>
    public BillingSource Billing { get; init; }

    /// <summary>Which setting decided <see cref="Billing"/>.</summary>
    public BillingBasis BillingBasis { get; init; }

    /// <summary>The working directory's uncommitted changes now, when it exists and is a git working tree.</summary>
    public WorktreeChanges? Changes { get; init; }

    /// <summary>The cost mode the figures are in.</summary>
    public CostMode CostMode { get; init; }
}
