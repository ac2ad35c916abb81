namespace Tally.Core.Billing;

/// <summary>One actor's day in the Admin API's Claude Code analytics report.</summary>
public sealed record ClaudeCodeDay
{
    /// <summary>The UTC day.</summary>
    public required DateOnly Day { get; init; }

    /// <summary><c>user_actor</c> or <c>api_actor</c> (kept as written).</summary>
    public required string ActorType { get; init; }

    /// <summary>The user's e-mail address or the API key's name.</summary>
    public required string Actor { get; init; }

    /// <summary><c>api</c> or <c>subscription</c>.</summary>
    public string? CustomerType { get; init; }

    /// <summary>The subscription type, when there is one.</summary>
    public string? SubscriptionType { get; init; }

    /// <summary>The terminal Claude Code ran in.</summary>
    public string? TerminalType { get; init; }

    /// <summary>Sessions.</summary>
    public long Sessions { get; init; }

    /// <summary>Lines added.</summary>
    public long LinesAdded { get; init; }

    /// <summary>Lines removed.</summary>
    public long LinesRemoved { get; init; }

    /// <summary>Commits made by Claude Code.</summary>
    public long Commits { get; init; }

    /// <summary>Pull requests opened by Claude Code.</summary>
    public long PullRequests { get; init; }

    /// <summary>Tool actions (edit, multi-edit, write, notebook edit, and any other the report names) accepted.</summary>
    public long ToolsAccepted { get; init; }

    /// <summary>Tool actions rejected.</summary>
    public long ToolsRejected { get; init; }

    /// <summary>Tokens across every model (input + output + cache reads + cache writes).</summary>
    public long Tokens { get; init; }

    /// <summary>The report's estimated cost in dollars (its cents divided by 100).</summary>
    public decimal EstimatedCostUsd { get; init; }
}
