namespace Tally.Core.Budgets;

/// <summary>What a budget limits.</summary>
public enum BudgetScope
{
    /// <summary>All usage in a calendar day of the configured time zone.</summary>
    Day = 0,

    /// <summary>All usage in a calendar month of the configured time zone.</summary>
    Month = 1,

    /// <summary>One session (with its subagents) over its whole life, or each session when no target is given.</summary>
    Session = 2,

    /// <summary>One project (worktrees collapsed into their repository), or each project, per day or month.</summary>
    Project = 3,

    /// <summary>One agent: the working directory (worktree) it runs in and every folder below it, or each one, per
    /// day or month.</summary>
    Agent = 4,

    /// <summary>The subscription plan's utilisation in its 5-hour or weekly window (unit: percent).</summary>
    Plan = 5,
}
