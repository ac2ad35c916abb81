using Tally.Core.Usage;

namespace Tally.Core.Storage;

/// <summary>Sums over the records of one group. Dimensions not grouped by are null.</summary>
public sealed record AggregateRow
{
    /// <summary>The start of the 15-minute UTC bucket, when grouped by time.</summary>
    public DateTimeOffset? Bucket { get; init; }

    /// <summary>The model, when grouped by model.</summary>
    public string? Model { get; init; }

    /// <summary>The session, when grouped by session.</summary>
    public string? SessionId { get; init; }

    /// <summary>The project, when grouped by project.</summary>
    public string? Project { get; init; }

    /// <summary>The subagent, when grouped by agent (null also for the main agent).</summary>
    public string? AgentId { get; init; }

    /// <summary>The agent the metering proxy named, when grouped by proxy agent (null: calls no proxy named).</summary>
    public string? ProxyAgent { get; init; }

    /// <summary>The billing the proxy saw, when grouped by proxy agent (null: calls the proxy did not see).</summary>
    public Agents.BillingSource? Billing { get; init; }

    /// <summary>The working directory, when grouped by directory.</summary>
    public string? Directory { get; init; }
    /// <summary>The tool, when grouped by tool (null: calls that asked for no tool).</summary>
    public string? Tool { get; init; }

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

    /// <summary>Calls priced at the long-context tier.</summary>
    public long LongContextCalls { get; init; }

    /// <summary>Calls whose cost came from the source's own figure (in auto or display mode).</summary>
    public long ReportedCostCalls { get; init; }

    /// <summary>The earliest record's time.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>The latest record's time.</summary>
    public DateTimeOffset LastSeen { get; init; }
}
