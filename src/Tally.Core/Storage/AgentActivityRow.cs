using Tally.Core.Usage;

namespace Tally.Core.Storage;

/// <summary>
/// Sums over the records of one session's agent in one working directory, on one branch, in one project, for one
/// model, named (or not) by the metering proxy, billed as the proxy saw it: the rows agent cards are built from.
/// <see cref="IUsageStore.AgentActivityAsync"/> returns them.
/// </summary>
public sealed record AgentActivityRow
{
    /// <summary>The Claude Code session; null only for calls the proxy named an agent for and no session
    /// (<see cref="ProxyAgent"/> is then set).</summary>
    public required string? SessionId { get; init; }

    /// <summary>The agent the metering proxy named for the calls (<c>/agents/&lt;name&gt;</c>, <c>x-tally-agent</c> or
    /// Claude Code's agent header); null for calls no proxy named.</summary>
    public string? ProxyAgent { get; init; }

    /// <summary>What the proxy saw the calls billed to; null for calls the proxy did not see.</summary>
    public Agents.BillingSource? Billing { get; init; }

    /// <summary>The subagent, or null for the session's own agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>The working directory the calls were made in.</summary>
    public string? Cwd { get; init; }

    /// <summary>The git branch the calls were made on.</summary>
    public string? GitBranch { get; init; }

    /// <summary>The project (repository) the working directory belongs to.</summary>
    public string? Project { get; init; }

    /// <summary>The model id as written.</summary>
    public required string Model { get; init; }

    /// <summary>Summed tokens.</summary>
    public TokenCounts Tokens { get; init; }

    /// <summary>Summed web searches.</summary>
    public long WebSearchRequests { get; init; }

    /// <summary>Number of calls (records).</summary>
    public long Calls { get; init; }

    /// <summary>Summed cost in the query's cost mode.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Calls whose model the catalog could not price (their cost counts as 0).</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Calls whose cost came from the source's own figure (in auto or display mode).</summary>
    public long ReportedCostCalls { get; init; }

    /// <summary>The earliest call of the group in the query's range.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>The latest call of the group in the query's range.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>The session's first call ever (before the query's range too): when the agent started working.</summary>
    public DateTimeOffset SessionFirstSeen { get; init; }
}
